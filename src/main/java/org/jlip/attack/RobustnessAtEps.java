package org.jlip.attack;

/**
 * Robust accuracies at one radius.
 *
 * @param provable fraction of samples whose certified radius is > eps (a guaranteed lower bound)
 * @param empirical fraction correctly classified and not broken by any attack within eps (an upper bound on the
 *     true robust accuracy; provable <= empirical unless a certificate is wrong)
 */
public record RobustnessAtEps(double eps, double provable, double empirical) {}
