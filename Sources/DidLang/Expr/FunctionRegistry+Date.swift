// Date functions (filled in next).
import DidFrame
extension FunctionRegistry {
    static let dates: [String: Builtin] = [:]
}
