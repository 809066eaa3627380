// The `did` command-line host: runs a script (`did file.did args…`), text (`did -e '…'`), or an
// interactive session (no arguments on a terminal; piped input runs as a script).

import Did
import Foundation

setvbuf(stdout, nil, _IOLBF, 0)
let version = "did 0.1.0"
var args = Array(CommandLine.arguments.dropFirst())

func printUsage() {
    print("""
    usage: did [file.did [args…]]     run a script (args in `1', `2', …)
           did -e 'commands'          run commands given as text
           did                        interactive session (REPL); piped input runs as a script
           did --version | --help
    """)
}

let interp = Interpreter(output: { s, style in
    let h = style == .error ? FileHandle.standardError : FileHandle.standardOutput
    h.write(s.data(using: .utf8)!)
})

func runReportingErrors(_ body: () throws -> Void) -> Int32 {
    do { try body(); return 0 } catch {
        FileHandle.standardError.write(Interpreter.describe(error).data(using: .utf8)!)
        if let e = error as? StataError { return Int32(truncatingIfNeeded: max(1, min(e.code, 255))) }
        return 1
    }
}

if args.first == "--version" || args.first == "-v" { print(version); exit(0) }
if args.first == "--help" || args.first == "-h" { printUsage(); exit(0) }
if args.first == "-e" {
    guard args.count >= 2 else { printUsage(); exit(2) }
    exit(runReportingErrors { try interp.run(args[1], file: "<-e>") })
}
if let file = args.first {
    exit(runReportingErrors { try interp.runFile(file, arguments: Array(args.dropFirst())) })
}
if isatty(0) != 0 {
    exit(REPL(interpreter: interp).run())
}
let input = FileHandle.standardInput.readDataToEndOfFile()
exit(runReportingErrors { try interp.run(String(decoding: input, as: UTF8.self), file: "<stdin>") })
