package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

    @Test
    void parsesVmRssInKilobytes() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  123456 kB\nThreads:\t42\n";
        assertThat(ProcessMemory.parseVmRss(status)).hasValue(123456L * 1024);
    }

    @Test
    void isEmptyWithoutVmRss() {
        assertThat(ProcessMemory.parseVmRss("Name:\tkthreadd\n")).isEmpty();
    }

    @Test
    void readsThisProcessOnLinux() {
        ProcessMemory self = ProcessMemory.of("test", ProcessHandle.current().pid());
        assertThat(self.rssBytes()).isPositive();
        assertThat(self.rssMegabytes()).isPositive();
    }

    @Test
    void aGoneProcessHasNoRss() {
        assertThat(ProcessMemory.of("gone", Long.MAX_VALUE).rssBytes()).isEqualTo(-1);
    }
}
