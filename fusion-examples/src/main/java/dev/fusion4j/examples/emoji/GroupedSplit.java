package dev.fusion4j.examples.emoji;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A train/test split by {@link EmojiRecord#group() group}: the distinct group keys are shuffled with a seeded
 * {@link Random} and whole groups go to training until it holds about {@code trainFraction} of the records (it
 * may exceed the target by at most one group), the rest to test. No group is on both sides; the same records,
 * fraction and seed give the same split. Both sides keep the input order.
 */
public final class GroupedSplit {

    /** The two sides of a split, in input order. */
    public record Split(List<EmojiRecord> train, List<EmojiRecord> test) {
        public Split {
            train = List.copyOf(train);
            test = List.copyOf(test);
        }
    }

    private GroupedSplit() {
    }

    /**
     * Splits {@code records} by group.
     *
     * @param trainFraction the share of records to put in training, strictly between 0 and 1 (e.g. 0.7)
     * @param seed the shuffle seed
     * @throws IllegalArgumentException if the fraction is out of range
     */
    public static Split split(List<EmojiRecord> records, double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be strictly between 0 and 1, got " + trainFraction);
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (EmojiRecord r : records) {
            sizes.merge(r.group(), 1, Integer::sum);
        }
        List<String> groups = new ArrayList<>(sizes.keySet());
        Collections.shuffle(groups, new Random(seed));
        long target = Math.round(trainFraction * records.size());
        Set<String> trainGroups = new HashSet<>();
        int trainCount = 0;
        for (String group : groups) {
            if (trainCount >= target) {
                break;
            }
            trainGroups.add(group);
            trainCount += sizes.get(group);
        }
        List<EmojiRecord> train = new ArrayList<>(trainCount);
        List<EmojiRecord> test = new ArrayList<>(records.size() - trainCount);
        for (EmojiRecord r : records) {
            (trainGroups.contains(r.group()) ? train : test).add(r);
        }
        return new Split(train, test);
    }
}
