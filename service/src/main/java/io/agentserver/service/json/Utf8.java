package io.agentserver.service.json;

/** Byte lengths of text as it travels (UTF-8), without encoding it. */
public final class Utf8 {

    private Utf8() {
    }

    /** The UTF-8 length of {@code text}; a lone surrogate counts as the 3 bytes of U+FFFD. */
    public static long length(CharSequence text) {
        long length = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
