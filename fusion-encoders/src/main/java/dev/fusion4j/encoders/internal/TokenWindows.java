package dev.fusion4j.encoders.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a tokenised text (special tokens included) into model-sized windows. Leading and trailing
 * special tokens ([CLS] ... [SEP]) are kept on every window; the content between them is either cut
 * at the limit or split into overlapping windows.
 */
public final class TokenWindows {
    private TokenWindows() {
    }

    /** One model input row: token ids, token type ids, and how many content (non-special) tokens it holds. */
    public record Window(long[] ids, long[] typeIds, int contentTokens) {
        public int length() {
            return ids.length;
        }
    }

    /**
     * @param ids          token ids with special tokens
     * @param typeIds      token type ids, same length
     * @param special      special-token mask (1 = special), same length
     * @param maxLength    the most tokens a window may hold
     * @param split        false: one truncated window; true: as many windows as the content needs
     * @param overlap      content tokens shared by neighbouring windows when splitting
     */
    public static List<Window> cut(long[] ids, long[] typeIds, long[] special, int maxLength, boolean split,
                                   int overlap) {
        int n = ids.length;
        int lead = 0;
        while (lead < n && special[lead] == 1) {
            lead++;
        }
        int trail = 0;
        while (trail < n - lead && special[n - 1 - trail] == 1) {
            trail++;
        }
        int content = n - lead - trail;
        int room = maxLength - lead - trail;
        if (room < 1) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for content between "
                    + (lead + trail) + " special tokens");
        }
        List<Window> windows = new ArrayList<>();
        if (content <= room) {
            windows.add(new Window(ids, typeIds, content));
            return windows;
        }
        int step = split ? Math.max(1, room - overlap) : content;
        for (int start = 0; start < content; start += step) {
            int len = Math.min(room, content - start);
            windows.add(slice(ids, typeIds, lead, trail, start, len));
            if (!split || start + len >= content) {
                break;
            }
        }
        return windows;
    }

    private static Window slice(long[] ids, long[] typeIds, int lead, int trail, int start, int len) {
        int n = ids.length;
        int total = lead + len + trail;
        long[] outIds = new long[total];
        long[] outTypes = new long[total];
        System.arraycopy(ids, 0, outIds, 0, lead);
        System.arraycopy(typeIds, 0, outTypes, 0, lead);
        System.arraycopy(ids, lead + start, outIds, lead, len);
        System.arraycopy(typeIds, lead + start, outTypes, lead, len);
        System.arraycopy(ids, n - trail, outIds, lead + len, trail);
        System.arraycopy(typeIds, n - trail, outTypes, lead + len, trail);
        return new Window(outIds, outTypes, len);
    }
}
