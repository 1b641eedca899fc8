package dev.fusion4j.examples.emoji;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GroupedSplitTest {
    /** 600 records in groups of 1 to 6, interleaved. */
    private static List<EmojiRecord> records() {
        Random random = new Random(5);
        List<EmojiRecord> records = new ArrayList<>();
        for (int g = 0; records.size() < 600; g++) {
            int size = 1 + random.nextInt(6);
            for (int i = 0; i < size; i++) {
                records.add(Fixtures.record("U" + g + "-" + i, "emoji " + g + " " + i, "group " + g));
            }
        }
        Collections.shuffle(records, random);
        return List.copyOf(records);
    }

    private static Set<String> groups(List<EmojiRecord> records) {
        return records.stream().map(EmojiRecord::group).collect(Collectors.toSet());
    }

    @Test
    void noGroupOnBothSidesAndEveryRecordOnExactlyOne() {
        List<EmojiRecord> all = records();
        for (long seed = 1; seed <= 5; seed++) {
            GroupedSplit.Split split = GroupedSplit.split(all, 0.7, seed);
            Set<String> both = new HashSet<>(groups(split.train()));
            both.retainAll(groups(split.test()));
            assertThat(both).isEmpty();
            assertThat(split.train().size() + split.test().size()).isEqualTo(all.size());
            assertThat(new HashSet<>(split.train())).doesNotContainAnyElementsOf(split.test());
            assertThat(split.train().size()).isBetween(420, 420 + 6);  // 70 %, overshooting by under one group
        }
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        List<EmojiRecord> all = records();
        GroupedSplit.Split a = GroupedSplit.split(all, 0.7, 1);
        assertThat(GroupedSplit.split(all, 0.7, 1)).isEqualTo(a);
        assertThat(GroupedSplit.split(all, 0.7, 2).test()).isNotEqualTo(a.test());
    }

    @Test
    void keepsInputOrderOnEachSide() {
        List<EmojiRecord> all = records();
        GroupedSplit.Split split = GroupedSplit.split(all, 0.7, 3);
        assertThat(split.train()).isSortedAccordingTo((x, y) -> all.indexOf(x) - all.indexOf(y));
        assertThat(split.test()).isSortedAccordingTo((x, y) -> all.indexOf(x) - all.indexOf(y));
    }

    @Test
    void fixtureGroupsStayTogether() {
        List<EmojiRecord> mini = EmojiDataset.load(Fixtures.miniDir());
        for (long seed = 1; seed <= 20; seed++) {
            GroupedSplit.Split split = GroupedSplit.split(mini, 0.7, seed);
            Set<String> both = new HashSet<>(groups(split.train()));
            both.retainAll(groups(split.test()));
            assertThat(both).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void rejectsFractionsOutsideTheOpenUnitInterval() {
        assertThatThrownBy(() -> GroupedSplit.split(records(), 1.0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trainFraction");
        assertThatThrownBy(() -> GroupedSplit.split(records(), 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
