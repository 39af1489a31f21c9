package dev.vigil.cli.demo;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Points this process's file descriptor 2 at a file while the dashboard is drawn, and back afterwards. Log4j already
 * writes to the demo's log file, but native libraries write to stderr directly: libtorch prints a deprecation warning
 * the first time the feedback loop trains, which would break the redrawn panel. Through libc's {@code dup}/{@code
 * dup2} (JNA, which DJL already brings); where that is not available (not a POSIX libc), it does nothing.
 */
final class NativeStderr implements AutoCloseable {

    /** The few libc calls needed. */
    interface LibC extends Library {
        int dup(int fd);

        int dup2(int from, int to);

        int open(String path, int flags, int mode);

        int close(int fd);
    }

    private static final int STDERR = 2;
    // Linux values; the same on the BSDs and macOS except O_CREAT (0x200) and O_APPEND (0x8), chosen below
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase().contains("linux");
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = LINUX ? 0100 : 0x200;
    private static final int O_APPEND = LINUX ? 02000 : 0x8;

    private final LibC libc;
    private final int saved;

    private NativeStderr(LibC libc, int saved) {
        this.libc = libc;
        this.saved = saved;
    }

    /** Redirects fd 2 to {@code file} (appending); returns a handle that restores it, or null if it cannot. */
    static NativeStderr redirectTo(Path file) {
        try {
            LibC libc = Native.load("c", LibC.class);
            int fd = libc.open(file.toAbsolutePath().toString(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd < 0) {
                return null;
            }
            int saved = libc.dup(STDERR);
            if (saved < 0 || libc.dup2(fd, STDERR) < 0) {
                libc.close(fd);
                return null;
            }
            libc.close(fd);
            return new NativeStderr(libc, saved);
        } catch (Throwable e) { // no JNA native support here: leave stderr alone
            LoggerFactory.getLogger(NativeStderr.class).debug("stderr stays on the terminal: {}", e.toString());
            return null;
        }
    }

    @Override
    public void close() {
        System.err.flush();
        libc.dup2(saved, STDERR);
        libc.close(saved);
    }
}
