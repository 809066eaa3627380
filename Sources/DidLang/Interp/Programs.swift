// User programs: `program define` … `end`, and the commands used inside them: `args`,
// `syntax`, `marksample`, `return`, `ereturn`, `exit`, `error`.

import DidFrame
import DidKernel
import Foundation

/// A command that runs a user program body in a new local scope.
struct ProgramCommand: Command {
    let name: String
    let definition: ProgramDefinition
    var byBehaviour: ByBehaviour { .repeatPerGroup }
    var options: [OptionSpec]? { nil }
    var parsesSyntax: Bool { false }

    func run(_ call: CommandCall, _ session: Session) throws {
        try session.callProgram(definition, arguments: call.arguments)
    }
}

extension Session {
    func defineProgram(name: String, options: String, body: [Stmt]) throws {
        guard Self.isValidName(name) else { throw StataError(198, "\(name) invalid name") }
        if programs[name] != nil { throw StataError(110, "program \(name) already defined") }
        if registry.lookup(name)?.name == name, programs[name] == nil, Builtins.isBuiltin(name) {
            throw StataError(110, "program \(name) already defined")
        }
        let def = ProgramDefinition(name: name, options: options, body: body)
        programs[name] = def
        registry.register(ProgramCommand(name: name, definition: def))
    }

    /// Drops a user program (`program drop`).
    func dropProgram(_ name: String) throws {
        guard programs[name] != nil else { throw StataError(111, "program \(name) not found") }
        programs[name] = nil
        registry.remove(name)
    }

    func callProgram(_ def: ProgramDefinition, arguments: String) throws {
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > 64 { throw StataError(1400, "program nesting too deep (recursion limit 64)") }
        var scope: [String: String] = ["0": arguments]
        for (k, w) in Tokenizer.words(arguments).enumerated() { scope[String(k + 1)] = w }
        localScopes.append(scope)
        tempVariableScopes.append([])
        let rclass = def.options.contains("rclass")
        let eclass = def.options.contains("eclass")
        if rclass { pendingReturns.append(StoredResults()) }
        defer {
            localScopes.removeLast()
            // Temporary variables die with the program that made them.
            for tv in tempVariableScopes.removeLast() { if let j = frame.index(of: tv) { frame.remove(at: j) } }
        }
        let savedFile = currentFile
        let hadPreserve = preserved != nil
        var failure: Error? = nil
        do { try execute(def.body) } catch ControlFlow.exit(let code) {
            if code != 0 { failure = StataError(code, "") }
        } catch ControlFlow.continueLoop, ControlFlow.breakLoop {
            failure = StataError(198, "continue outside of a loop")
        } catch { failure = error }
        currentFile = savedFile
        // Stata restores data a program preserved when the program ends, error or not.
        if !hadPreserve, let snapshot = preserved {
            frame.replaceContents(with: snapshot)
            preserved = nil
        }
        if rclass {
            let r = pendingReturns.removeLast()
            if failure == nil { rResults = r }
        }
        _ = eclass
        if let f = failure { throw f }
    }

    /// Remembers a temporary variable so it is dropped when the current program ends.
    func noteTempVariable(_ name: String) {
        if !tempVariableScopes.isEmpty { tempVariableScopes[tempVariableScopes.count - 1].append(name) }
    }

    /// The pending r() of the innermost rclass program, or r() itself at top level.
    func modifyReturn(_ body: (inout StoredResults) -> Void) {
        if pendingReturns.isEmpty { body(&rResults) } else { body(&pendingReturns[pendingReturns.count - 1]) }
    }
}
