// libFuzzer entry point for the front end: statement splitting, block parsing, expression parsing
// and the CSV reader. Built by `scripts/fuzz` with -sanitize=fuzzer,address and -DFUZZING;
// an ordinary build makes a tiny executable that says how to run it.

import DidFrame
import DidLang
import Foundation

/// Feeds one input to every parser; any thrown StataError is fine, a crash is a finding.
func fuzzOne(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    if let statements = try? SourceSplitter.split(text, file: "fuzz") {
        _ = try? BlockParser.parse(statements)
        for s in statements.prefix(50) {
            _ = try? ExprParser.parse(s.text)
            _ = try? CommandCall.parse(name: "fuzz", arguments: s.text, location: nil, equalsAllowed: true)
        }
    }
    _ = try? CSVReader.read(bytes: bytes)
}

#if FUZZING
/// The entry libFuzzer calls for each input (when its own `main` is the one linked).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntry(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = data else { return 0 }
    fuzzOne(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer's driver; SwiftPM supplies `main`, so the target calls the driver itself.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@main
struct FuzzDriver {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let rc = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            guard let data = data else { return 0 }
            fuzzOne(Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        }
        exit(rc)
    }
}
#else
@main
struct FuzzUsage {
    static func main() {
        print("did-fuzz: build and run it with scripts/fuzz (libFuzzer); this build only checks it compiles")
        fuzzOne(Array("display 1 + 2\nforeach x in a b {\n}\n".utf8))
    }
}
#endif
