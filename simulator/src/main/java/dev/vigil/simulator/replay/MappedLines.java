package dev.vigil.simulator.replay;

import java.io.Closeable;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A text file memory-mapped for reading lines by byte offset, in any order. Files larger than one mapping (2 GiB) are
 * mapped in segments that overlap by the longest line the index can hold, so every line starts and ends inside the
 * one segment its first byte falls in. The page cache does the buffering: a sorted read-back costs no system call per
 * line, and a file read a second time is served from memory.
 */
final class MappedLines implements Closeable {

    static final int DEFAULT_SEGMENT_BITS = 30;

    private final FileChannel channel;
    private final MappedByteBuffer[] segments;
    private final int segmentBits;
    private final long segmentSize;
    private final long size;
    private byte[] scratch = new byte[512];

    MappedLines(Path file) throws IOException {
        this(file, DEFAULT_SEGMENT_BITS);
    }

    /** @param segmentBits log2 of the segment size: small in tests, to put lines across segment boundaries */
    MappedLines(Path file, int segmentBits) throws IOException {
        this.segmentBits = segmentBits;
        this.segmentSize = 1L << segmentBits;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            this.size = channel.size();
            int count = (int) ((size + segmentSize - 1) >>> segmentBits);
            this.segments = new MappedByteBuffer[count];
            long overlap = EventTimeIndex.MAX_LINE_BYTES + 1L;
            for (int s = 0; s < count; s++) {
                long base = (long) s << segmentBits;
                segments[s] = channel.map(FileChannel.MapMode.READ_ONLY, base, Math.min(size - base, segmentSize + overlap));
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    long size() {
        return size;
    }

    byte byteAt(long position) {
        int s = (int) (position >>> segmentBits);
        return segments[s].get((int) (position - ((long) s << segmentBits)));
    }

    /** The position of the first '\n' at or after {@code from}, or {@link #size} when there is none. */
    long indexOfNewline(long from) {
        long position = from;
        while (position < size) {
            int s = (int) (position >>> segmentBits);
            MappedByteBuffer segment = segments[s];
            long base = (long) s << segmentBits;
            // Scan only the segment's own range; its overlap belongs to the next segment.
            int end = (int) (Math.min(size, base + segmentSize) - base);
            for (int i = (int) (position - base); i < end; i++) {
                if (segment.get(i) == '\n') {
                    return base + i;
                }
            }
            position = base + end;
        }
        return size;
    }

    /** The line of {@code length} bytes at {@code offset}, decoded as UTF-8. Not thread-safe (one scratch buffer). */
    String line(long offset, int length) {
        if (length > EventTimeIndex.MAX_LINE_BYTES || offset + length > size) {
            throw new IllegalArgumentException("no line of " + length + " bytes at offset " + offset);
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        int s = (int) (offset >>> segmentBits);
        segments[s].get((int) (offset - ((long) s << segmentBits)), scratch, 0, length);
        return new String(scratch, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        // The mappings themselves are released when collected; closing the channel does not invalidate them.
        channel.close();
    }
}
