package io.logwarden.event;

/**
 * Classes of the ASCII characters, as bits a reader defines (brackets and quotes, the characters of a key, the marks of
 * a level word), kept in a table of 128 entries and looked up without a branch. A reader that tested characters one
 * kind after another was compiled for the kinds its input had shown so far, and compiled again, tens to hundreds of
 * milliseconds of the JIT compiler, the first time a line brought another: a first file paid for each. Characters
 * beyond ASCII have no class.
 */
public final class AsciiClasses {

    /** The ASCII letters, lower case then upper case. */
    public static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public static final String DIGITS = "0123456789";

    private AsciiClasses() {
    }

    /** Gives every character of {@code chars} (ASCII) the class bits {@code bits} in {@code table} (128 entries). */
    public static void mark(byte[] table, String chars, int bits) {
        for (int i = 0; i < chars.length(); i++) {
            table[chars.charAt(i)] |= (byte) bits;
        }
    }

    /**
     * {@code c}'s class bits in {@code table}: its ASCII entry's, none for other characters ({@code c - 128 >> 31} is
     * all ones below 128).
     */
    public static int of(byte[] table, char c) {
        return table[c & 127] & ((c - 128) >> 31);
    }
}
