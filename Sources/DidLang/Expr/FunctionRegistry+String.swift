// String functions (filled in next).
import DidFrame
extension FunctionRegistry {
    static let strings: [String: Builtin] = [:]
}
