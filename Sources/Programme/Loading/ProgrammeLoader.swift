#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A programme that loaded without errors, with its warnings and the exact bytes it came from
/// (cases pin those bytes, so that they can be replayed after the file changes).
public struct LoadedProgramme: Sendable {
    public var programme: Programme
    public var warnings: [Diagnostic]
    public var source: [UInt8]
}

/// Loads programme files: read (size-capped) → secure parse → XSD → model → semantic checks.
/// Every problem is collected and returned with its `file:line:column`.
public enum ProgrammeLoader {
    /// Loads the file at `path`; `displayName` is what diagnostics call it (default: the path).
    public static func load(path: String, displayName: String? = nil) -> Result<LoadedProgramme, ProgrammeLoadError> {
        let name = displayName ?? path
        switch readFile(path) {
        case .failure(let message):
            return .failure(ProgrammeLoadError(diagnostics: [Diagnostic(.error, at: SourceLocation(file: name, line: 0), message)]))
        case .success(let bytes):
            return load(bytes: bytes, file: name)
        }
    }

    /// Loads a programme from memory; `file` names it in diagnostics.
    public static func load(bytes: [UInt8], file: String) -> Result<LoadedProgramme, ProgrammeLoadError> {
        if bytes.count > ByteChecks.maximumFileSize {
            return failure(file, line: 0, Messages.tooLarge(bytes.count, limit: ByteChecks.maximumFileSize))
        }
        switch ByteChecks.check(bytes) {
        case .empty:
            return failure(file, line: 1, Messages.empty, hint: Messages.emptyHint)
        case .binary(let offset):
            let (line, column) = ByteChecks.lineAndColumn(of: offset, in: bytes)
            return failure(file, line: line, column: column, Messages.binary)
        case .invalidUTF8(let offset):
            let (line, column) = ByteChecks.lineAndColumn(of: offset, in: bytes)
            return failure(file, line: line, column: column, Messages.invalidUTF8, hint: Messages.invalidUTF8Hint)
        case nil:
            break
        }
        let source = SourceText(bytes)
        let outcome = SecureXMLParser.parse(bytes, url: file, schema: EmbeddedSchema.shared)
        guard let root = outcome.root else {
            let diagnostics = outcome.issues.map { issue in
                var (line, column) = (issue.line, issue.column)
                if column == 0, let element = issue.element {
                    (line, column) = source.elementStart(element, reportedLine: line)
                }
                if issue.message == Messages.doctypeNotAllowed, let start = source.firstLine(containing: "<!DOCTYPE") {
                    line = start
                }
                return Diagnostic(.error, at: SourceLocation(file: file, line: line, column: column), issue.message, hint: issue.hint)
            }
            return .failure(ProgrammeLoadError(diagnostics: deduplicated(diagnostics)))
        }
        var builder = ProgrammeBuilder(sink: DiagnosticSink(file: file, source: source))
        let programme = builder.build(root)
        var checker = SemanticChecker(programme: programme, sink: builder.sink)
        checker.run()
        let diagnostics = checker.sink.diagnostics.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        if diagnostics.contains(where: { $0.severity == .error }) {
            return .failure(ProgrammeLoadError(diagnostics: diagnostics))
        }
        return .success(LoadedProgramme(programme: programme, warnings: diagnostics, source: bytes))
    }

    private static func failure(_ file: String, line: Int, column: Int = 0, _ message: LocalizedMessage, hint: LocalizedMessage? = nil) -> Result<LoadedProgramme, ProgrammeLoadError> {
        .failure(ProgrammeLoadError(diagnostics: [Diagnostic(.error, at: SourceLocation(file: file, line: line, column: column), message, hint: hint)]))
    }

    /// libxml2 reports a bad value twice (the facet, then the type); keep the first per line and attribute.
    private static func deduplicated(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen: Set<String> = []
        return diagnostics.filter { d in
            guard d.message.en.contains("is not a valid value of") || d.message.en.contains("is not an allowed value of") else { return true }
            let attribute = d.message.en.between("value of '", "'") ?? ""
            return seen.insert("\(d.location.line)|\(attribute)").inserted
        }
    }

    /// Reads a regular file of at most the size limit, without reading more than the limit.
    static func readFile(_ path: String) -> Result<[UInt8], LocalizedMessage> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Messages.cannotRead(String(cString: strerror(errno)))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(Messages.cannotRead(String(cString: strerror(errno)))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(LocalizedMessage(sv: "filen kunde inte läsas: det är ingen vanlig fil", en: "cannot read the file: it is not a regular file"))
        }
        let size = Int(info.st_size)
        if size > ByteChecks.maximumFileSize { return .failure(Messages.tooLarge(size, limit: ByteChecks.maximumFileSize)) }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        return .success(Array(bytes[0..<done]))
    }
}
