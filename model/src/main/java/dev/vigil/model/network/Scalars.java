package dev.vigil.model.network;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands for the forward pass and the loss: every constant there goes through {@link #beside}, never
 * through DJL's {@code x.mul(2f)}-style methods.
 *
 * <p>Why: DJL turns a Java number into a tensor over a small direct buffer and closes that tensor right after the
 * operation. Autograd still holds the tensor for backward (the gradient of {@code x * c} needs {@code c}), but
 * nothing holds the buffer any more, so a garbage collection between forward and backward frees the memory under it
 * and backward reads whatever was put there next. That was the intermittent NaN of the feedback loop's updates and
 * the seeded trainings that differed about one run in ten ({@code GarbageCollectionDuringBackwardTest} makes it
 * happen on purpose). A scalar made here belongs to the manager of the array it is used with, which in training is
 * the step's scope: it lives until the step's backward and update are done.
 */
final class Scalars {

    private Scalars() {}

    /** {@code value} as a float32 scalar owned by the manager of {@code array}. */
    static NDArray beside(NDArray array, float value) {
        return array.getManager().create(value);
    }
}
