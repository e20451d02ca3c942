package org.jlip.report;

/** Pictures are drawn off-screen: servers and CI have no display. */
final class Headless {
  private Headless() {}

  /** Must run before the first AWT class loads its toolkit. */
  static void ensure() {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }
}
