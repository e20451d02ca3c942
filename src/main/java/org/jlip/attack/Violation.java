package org.jlip.attack;

/**
 * A certificate contradicted by an attack: an adversarial example of L2 norm {@code adversarialNorm} below the
 * sample's certified radius. Any such sample means the certificate (or the Lipschitz bound behind it) is wrong.
 */
public record Violation(int index, int label, double certifiedRadius, double adversarialNorm) {}
