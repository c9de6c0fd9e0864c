import Foundation
import Testing
@testable import Report
@testable import Workflow

#if canImport(Glibc)
import Glibc
#endif

/// The HTML report opened in headless Chromium (Debian's `chromium`): a screenshot and a PDF that are
/// not blank and show the charts, and a DOM in which the inline SVG survives. Skipped, with a message,
/// where Chromium or poppler-utils are not installed.
@Suite(
    .enabled(if: Browser.available, Browser.missingMessage),
    .timeLimit(.minutes(5)),
    .serialized)
struct BrowserRenderTests {
    /// The colours the stylesheet gives the bars (#2c6e6a) and the threshold marks (#b4451f).
    static let barColour: (UInt8, UInt8, UInt8) = (0x2C, 0x6E, 0x6A)
    static let markColour: (UInt8, UInt8, UInt8) = (0xB4, 0x45, 0x1F)

    /// Set NARVARO_KEEP_BROWSER_OUTPUT=1 to keep the HTML, screenshot, PDF and page images for a look.
    static func cleanUp(_ directory: URL) {
        if ProcessInfo.processInfo.environment["NARVARO_KEEP_BROWSER_OUTPUT"] != nil {
            print("browser output kept in \(directory.path)")
        } else {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// The cohort's report as one HTML file in a fresh directory.
    static func renderCohort() throws -> (directory: URL, html: URL, document: ReportDocument, source: String) {
        let report = try #require(FidelityAggregate.build(try Cohort.cases(), asOf: Cohort.asOf, attendance: CohortAttendance(), evaluator: XPathEvaluator()))
        let document = ReportBuilder(report: report, language: .sv).build()
        let source = try HTMLRenderer.render(document)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let html = directory.appendingPathComponent("trohetsrapport.html")
        try source.write(to: html, atomically: true, encoding: .utf8)
        return (directory, html, document, source)
    }

    @Test func theScreenshotShowsTheReportAndItsCharts() throws {
        let (directory, html, _, _) = try Self.renderCohort()
        defer { Self.cleanUp(directory) }
        let png = directory.appendingPathComponent("skarm.png")
        let run = try Browser.chromium(["--window-size=1000,1400", "--screenshot=\(png.path)", html.absoluteString], profile: directory)
        #expect(run.status == 0, "chromium: \(run.stderr)")
        let data = try Data(contentsOf: png)
        #expect(data.count > 20_000, "a screenshot of \(data.count) bytes is too small to hold the report")
        let image = try #require(PNGImage(data), "the screenshot is not a PNG Chromium would write (8-bit RGB or RGBA)")
        #expect(image.width == 1000)
        #expect(image.height == 1400)
        guard let pixels = image.decodePixels() else {
            Issue.record("libz could not be loaded to decode the screenshot; only its header was checked")
            return
        }
        let stats = PixelStats(pixels: pixels, width: image.width, height: image.height)
        // Not blank: a real share of the page is ink, and many colours (text antialiasing, charts).
        #expect(stats.nonWhiteShare > 0.03 && stats.nonWhiteShare < 0.9, "non-white share \(stats.nonWhiteShare)")
        #expect(stats.distinctColours > 50, "only \(stats.distinctColours) colours")
        // The bar chart of the criteria is on the first screen: its bars and threshold marks.
        #expect(stats.count(near: Self.barColour) > 2_000, "bar-coloured pixels: \(stats.count(near: Self.barColour))")
        #expect(stats.count(near: Self.markColour) > 100, "threshold-mark pixels: \(stats.count(near: Self.markColour))")
    }

    @Test func thePDFHasPagesTextAndCharts() throws {
        let (directory, html, document, _) = try Self.renderCohort()
        defer { Self.cleanUp(directory) }
        let pdf = directory.appendingPathComponent("rapport.pdf")
        let run = try Browser.chromium(["--print-to-pdf=\(pdf.path)", "--no-pdf-header-footer", html.absoluteString], profile: directory)
        #expect(run.status == 0, "chromium: \(run.stderr)")
        #expect(try Data(contentsOf: pdf).prefix(5) == Data("%PDF-".utf8))

        let info = try Browser.run("/usr/bin/pdfinfo", [pdf.path])
        let pages = info.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
        let pageCount = try #require(pages, "pdfinfo: \(info.stdout) \(info.stderr)")
        #expect(pageCount >= 2, "an A4 report over 30 cases and eight sections fits on \(pageCount) page(s)")
        #expect(info.stdout.contains("A4") || info.stdout.contains("595.") , "not A4: \(info.stdout)")

        let text = try Browser.run("/usr/bin/pdftotext", ["-enc", "UTF-8", pdf.path, "-"]).stdout
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("Trohetsrapport"))
        #expect(words.contains("Metodtrohet per kriterium"))
        let f02 = try #require(Fixture.programme.criteria.first { $0.id == "f02" }?.title.sv)
        #expect(words.contains(f02), "the criterion title \(f02) is not in the PDF's text")
        #expect(words.contains(document.headline.percent), "the index \(document.headline.percent) is not in the PDF's text")
        // No personal data made it into the PDF either.
        for needle in Cohort.personalData + [Cohort.freeTextMarker] { #expect(!words.contains(needle)) }

        // Each page rendered to pixels: none blank, and the bar colour of the charts on some page.
        let prefix = directory.appendingPathComponent("sida").path
        let raster = try Browser.run("/usr/bin/pdftoppm", ["-r", "40", pdf.path, prefix])
        #expect(raster.status == 0, "pdftoppm: \(raster.stderr)")
        let pageFiles = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("sida") && $0.hasSuffix(".ppm") }.sorted()
        #expect(pageFiles.count == pageCount)
        var barPixels = 0
        for name in pageFiles {
            let ppm = try #require(PPMImage(try Data(contentsOf: directory.appendingPathComponent(name))), "\(name) is not a binary PPM")
            let stats = PixelStats(pixels: ppm.pixels, width: ppm.width, height: ppm.height)
            #expect(stats.nonWhiteShare > 0.005, "page \(name) is blank")
            barPixels += stats.count(near: Self.barColour)
        }
        #expect(barPixels > 500, "no chart bars on any page (\(barPixels) bar-coloured pixels)")
    }

    @Test func theSVGSurvivesInTheDOM() throws {
        let (directory, html, document, source) = try Self.renderCohort()
        defer { Self.cleanUp(directory) }
        let run = try Browser.chromium(["--dump-dom", html.absoluteString], profile: directory)
        #expect(run.status == 0, "chromium: \(run.stderr)")
        let dom = run.stdout
        let charts = document.sections.reduce(0) { $0 + $1.charts.count }
        func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
        #expect(charts >= 3)
        #expect(count("<svg", in: dom) == charts, "svg elements in the DOM: \(count("<svg", in: dom))")
        #expect(count("<rect", in: dom) == count("<rect", in: source))
        #expect(count("<rect", in: dom) > 10)
        #expect(dom.contains("<title>Andel som följer manualen, per kriterium</title>"))
        #expect(!dom.lowercased().contains("<script"))
    }
}

// MARK: - Running the tools

enum Browser {
    static let chromiumPath = "/usr/bin/chromium"
    static let tools = [chromiumPath, "/usr/bin/pdfinfo", "/usr/bin/pdftotext", "/usr/bin/pdftoppm"]

    static var available: Bool { tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) } }

    static var missingMessage: Comment {
        let missing = tools.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        return Comment(rawValue: "Skipped: \(missing.joined(separator: ", ")) not installed. Install with: apt-get install -y --no-install-recommends chromium fonts-dejavu-core poppler-utils")
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Headless Chromium with its own profile directory, no sandbox (CI runs as root), no GPU.
    static func chromium(_ arguments: [String], profile: URL) throws -> Run {
        try run(chromiumPath, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-dev-shm-usage",
            "--user-data-dir=\(profile.appendingPathComponent("profil").path)",
        ] + arguments, timeout: 120)
    }

    /// Runs a tool with its output in files (no pipe to fill up), killed after `timeout` seconds.
    static func run(_ path: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("narvaro-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return Run(status: -1, stdout: "", stderr: "\(path) did not finish within \(Int(timeout)) s")
        }
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

// MARK: - Reading the images

/// Colour statistics over 8-bit RGB pixels.
struct PixelStats {
    let pixels: [UInt8]  // RGB, row by row
    let width: Int
    let height: Int

    var count: Int { width * height }

    var nonWhiteShare: Double {
        var ink = 0
        for i in stride(from: 0, to: count * 3, by: 3) where pixels[i] < 235 || pixels[i + 1] < 235 || pixels[i + 2] < 235 { ink += 1 }
        return Double(ink) / Double(count)
    }

    var distinctColours: Int {
        var seen = Set<UInt32>()
        for i in stride(from: 0, to: count * 3, by: 3) {
            seen.insert(UInt32(pixels[i]) << 16 | UInt32(pixels[i + 1]) << 8 | UInt32(pixels[i + 2]))
        }
        return seen.count
    }

    func count(near colour: (UInt8, UInt8, UInt8), tolerance: Int = 10) -> Int {
        var n = 0
        for i in stride(from: 0, to: count * 3, by: 3)
        where abs(Int(pixels[i]) - Int(colour.0)) <= tolerance && abs(Int(pixels[i + 1]) - Int(colour.1)) <= tolerance
            && abs(Int(pixels[i + 2]) - Int(colour.2)) <= tolerance {
            n += 1
        }
        return n
    }
}

/// A binary PPM (P6, maxval 255), as pdftoppm writes it.
struct PPMImage {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    init?(_ data: Data) {
        let bytes = [UInt8](data)
        var index = 0
        func token() -> String? {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "#") {
                    while index < bytes.count, bytes[index] != 10 { index += 1 }
                } else if bytes[index] == 32 || bytes[index] == 10 || bytes[index] == 13 || bytes[index] == 9 {
                    index += 1
                } else {
                    break
                }
            }
            let start = index
            while index < bytes.count, ![32, 10, 13, 9].contains(bytes[index]) { index += 1 }
            return start < index ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        }
        guard token() == "P6", let w = token().flatMap(Int.init), let h = token().flatMap(Int.init), token() == "255" else { return nil }
        index += 1  // the single whitespace after maxval
        guard bytes.count - index >= w * h * 3 else { return nil }
        width = w
        height = h
        pixels = Array(bytes[index..<(index + w * h * 3)])
    }
}

/// A PNG as Chromium writes screenshots: 8-bit RGB or RGBA, not interlaced. Decoded with the system's
/// libz (loaded at run time; every Debian system with Chromium has it).
struct PNGImage {
    let width: Int
    let height: Int
    let channels: Int
    let compressed: [UInt8]

    init?(_ data: Data) {
        let bytes = [UInt8](data)
        guard bytes.count > 33, bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        var offset = 8
        var width = 0, height = 0, channels = 0
        var idat: [UInt8] = []
        while offset + 8 <= bytes.count {
            let length = u32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let start = offset + 8
            guard start + length <= bytes.count else { return nil }
            switch type {
            case "IHDR":
                width = u32(start)
                height = u32(start + 4)
                let depth = bytes[start + 8], colourType = bytes[start + 9], interlace = bytes[start + 12]
                guard depth == 8, interlace == 0, colourType == 2 || colourType == 6 else { return nil }
                channels = colourType == 2 ? 3 : 4
            case "IDAT":
                idat.append(contentsOf: bytes[start..<(start + length)])
            default:
                break
            }
            offset = start + length + 4  // and the CRC
        }
        guard width > 0, height > 0, channels > 0, !idat.isEmpty else { return nil }
        self.width = width
        self.height = height
        self.channels = channels
        compressed = idat
    }

    typealias Uncompress = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?, UnsafePointer<UInt8>?, UInt) -> Int32

    /// RGB pixels, row by row, or nil when libz is not there.
    func decodePixels() -> [UInt8]? {
        guard let handle = dlopen("libz.so.1", RTLD_NOW) ?? dlopen("libz.so", RTLD_NOW), let symbol = dlsym(handle, "uncompress") else { return nil }
        let uncompress = unsafeBitCast(symbol, to: Uncompress.self)
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var length = UInt(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in uncompress(out.baseAddress, &length, input.baseAddress, UInt(input.count)) }
        }
        guard status == 0, length == UInt(raw.count) else { return nil }
        // Undo the per-row filters (PNG specification, 9.2).
        var image = [UInt8](repeating: 0, count: height * stride)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            let row = y * (stride + 1) + 1
            for x in 0..<stride {
                let left = x >= channels ? Int(image[y * stride + x - channels]) : 0
                let up = y > 0 ? Int(image[(y - 1) * stride + x]) : 0
                let upLeft = x >= channels && y > 0 ? Int(image[(y - 1) * stride + x - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = left
                case 2: predictor = up
                case 3: predictor = (left + up) / 2
                case 4:
                    let p = left + up - upLeft
                    let pa = abs(p - left), pb = abs(p - up), pc = abs(p - upLeft)
                    predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft
                default: return nil
                }
                image[y * stride + x] = UInt8((Int(raw[row + x]) + predictor) & 0xFF)
            }
        }
        guard channels == 4 else { return image }
        var rgb = [UInt8]()
        rgb.reserveCapacity(width * height * 3)
        for i in Swift.stride(from: 0, to: image.count, by: 4) { rgb.append(contentsOf: image[i..<(i + 3)]) }
        return rgb
    }
}
