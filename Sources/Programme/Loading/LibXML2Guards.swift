internal import CLibXML2
import Synchronization

/// How often libxml2 asked to load an external entity or DTD. Any call is a failure: programme files
/// may not refer to other files, and the loader below refuses every request.
let externalLoaderCalls = Atomic<Int>(0)

/// Process-wide libxml2 set-up, done once before the first parse (libxml2 2.9 wants `xmlInitParser`
/// before use from several threads, and the external entity loader is one global for the process).
enum LibXML2Guards {
    static let installed: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, ctxt in
            externalLoaderCalls.add(1, ordering: .relaxed)
            if let ctxt, ctxt.pointee._private != nil {
                ParseState.from(UnsafeMutableRawPointer(ctxt))?.loaderCalled = true
            }
            return nil
        }
    }()

    /// Call before every parse on the current thread. The generic error channel is per thread in
    /// libxml2 2.9 and prints some messages even with XML_PARSE_NOERROR, so silence it here too.
    static func prepareThread() {
        _ = installed
        narvaro_silence_generic_errors()
    }

    /// The only parser options the loader uses. Never add NOENT, DTDLOAD, DTDATTR, DTDVALID, HUGE,
    /// XINCLUDE or RECOVER (see docs/programme-format.md, "Security").
    static let parserOptions: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue
    )
}
