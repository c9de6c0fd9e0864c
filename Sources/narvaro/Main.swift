import CLI

@main
enum Main {
    static func main() {
        NarvaroCommand.main()
    }
}
