package org.jlip.cli;

import picocli.CommandLine.ITypeConverter;

/** A radius on the command line: a number, or a fraction such as 36/255 (as the reports print them). */
final class RadiusConverter implements ITypeConverter<Double> {
  @Override
  public Double convert(String value) {
    String v = value.trim();
    int slash = v.indexOf('/');
    try {
      if (slash < 0) {
        return Double.parseDouble(v);
      }
      return Double.parseDouble(v.substring(0, slash)) / Double.parseDouble(v.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a radius (a number or a fraction such as 36/255)");
    }
  }
}
