// Statistical functions (filled in next).
import DidFrame
extension FunctionRegistry {
    static let stats: [String: Builtin] = [:]
}
