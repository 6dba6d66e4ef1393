package io.github.dl4jinit.examples;

/** Command-line argument checks with messages that name the option. */
final class Args {
    private Args() {
    }

    static int positive(String option, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + ": " + value + ", expected a positive number");
        }
        return value;
    }
}
