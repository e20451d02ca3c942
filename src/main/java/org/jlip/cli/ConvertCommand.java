package org.jlip.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jlip.imports.KerasConverter;
import org.jlip.model.ModelBound;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** jlip convert: a deel-lip .keras (or legacy .h5) file as a jlip SavedModel (NHWC input, certify signature). */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Convert a deel-lip/Keras .keras file (or a legacy .h5 model file) into a jlip SavedModel whose"
        + " input is NHWC (channels_first models are converted), with the signatures serving_default and certify.")
public final class ConvertCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "MODEL.keras", description = "the .keras or .h5 file")
  Path model;

  @Option(names = "--out", required = true, description = "SavedModel directory to write")
  Path out;

  @Option(names = "--overwrite", description = "replace --out if it exists")
  boolean overwrite;

  @Override
  public Integer call() throws IOException {
    ModelBound bound = KerasConverter.convert(model, out, overwrite);
    System.out.printf("converted %s -> %s (measured L = %.6f)%n", model, out, bound.measured());
    return 0;
  }
}
