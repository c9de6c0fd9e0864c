#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One writing process at a time: an advisory `flock` on a lock file beside the database (never on
/// the database file itself, which would break SQLite's own locks). A second process waits a bounded
/// time, then is told that another session is writing.
final class WriterLock: @unchecked Sendable {
    // @unchecked Sendable: the file descriptor is only used under `mutex`.
    private let path: String
    /// The store the lock guards, as the user knows it.
    private let storePath: String
    private let mutex = Mutex()
    private var fd: Int32 = -1

    init(path: String, storePath: String) {
        self.path = path
        self.storePath = storePath
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Runs `body` holding the lock; waits at most `timeout` seconds for it.
    func withLock<T>(timeout: Double, _ body: () throws -> T) throws -> T {
        try mutex.withLock {
            if fd < 0 {
                fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw StoreError.io("cannot open the lock file \(path): \(String(cString: strerror(errno)))") }
            }
            let deadline = monotonicSeconds() + timeout
            var delay: UInt32 = 1_000
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    throw StoreError.io("cannot lock \(path): \(String(cString: strerror(errno)))")
                }
                if monotonicSeconds() >= deadline { throw StoreError.busy(path: storePath, seconds: max(1, Int(timeout.rounded(.up)))) }
                usleep(delay)
                delay = min(delay * 2, 50_000)
            }
            defer { flock(fd, LOCK_UN) }
            return try body()
        }
    }

    private func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// A plain mutex (pthread), for the lock's file descriptor.
final class Mutex: @unchecked Sendable {
    // @unchecked Sendable: pthread_mutex_t is made for sharing between threads.
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
