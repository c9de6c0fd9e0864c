import CLI
#if canImport(Glibc)
import Glibc
#endif

@main
enum Main {
    static func main() {
        // Files hold data about children: everything this process creates is private to its owner.
        umask(0o077)
        NarvaroCommand.runMain()
    }
}
