package org.jlip.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import org.jlip.data.DataNotFoundException;
import org.jlip.data.MalformedDataException;
import org.jlip.imports.MalformedModelException;
import org.jlip.imports.UnsupportedModelException;
import org.jlip.imports.UntrustedModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The jlip command line. Exit codes: 0 ok, 2 bad usage or bad input file, 1 failure. */
@Command(
    name = "jlip",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Certifiably robust 1-Lipschitz classifiers on TensorFlow Java.",
    subcommands = {TrainCommand.class, ExportCommand.class, CertifyCommand.class, InspectCommand.class,
        AttackCommand.class, ReportCommand.class, ConvertCommand.class, BenchCommand.class, ServeCommand.class},
    footer = {"", "Exit codes: 0 ok, 2 bad usage or invalid input file, 1 failure (I/O, missing data, divergence)."})
public final class Jlip implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Jlip.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (tests call this). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Jlip());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("jlip " + cmd.getCommandName() + ": " + message(ex));
      LOG.debug("failure", ex);
      return badInput(ex) ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
    });
    return cl.execute(args);
  }

  /**
   * Exit code 2: bad usage (an output that exists without --overwrite included), or an input file jlip cannot
   * use (malformed, unsupported or unsafe model, malformed data). A data set missing from the machine, or any
   * other failure, exits 1.
   */
  private static boolean badInput(Throwable ex) {
    Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    return t instanceof IllegalArgumentException || t instanceof FileAlreadyExistsException
        || t instanceof MalformedModelException
        || t instanceof UnsupportedModelException || t instanceof UntrustedModelException
        || t instanceof MalformedDataException;
  }

  private static String message(Throwable ex) {
    Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      m = t.getClass().getSimpleName();
    } else if (t instanceof IOException && !(t instanceof MalformedDataException)
        && !(t instanceof DataNotFoundException) && t.getClass() != IOException.class) {
      m = t.getClass().getSimpleName() + ": " + m;
    }
    return m.replace('\n', ' ');
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: see jlip --help");
  }
}
