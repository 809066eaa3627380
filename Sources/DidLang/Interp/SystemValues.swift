// c() values: the system settings and constants Stata exposes.

import DidFrame
import Foundation

enum SystemValues {
    static func value(_ name: String, session: Session) throws -> Value? {
        switch name {
        case "N": return .number(Double(session.frame.count))
        case "k": return .number(Double(session.frame.width))
        case "pi": return .number(Double.pi)
        case "e": return .number(M_E)
        case "maxdouble": return .number(Missing.maxDouble)
        case "mindouble": return .number(-Missing.maxDouble)
        case "epsdouble": return .number(Double.ulpOfOne)
        case "rc": return .number(Double(session.rc))
        case "level": return .number(Double(session.settings["level"] ?? "95") ?? 95)
        case "pwd": return .string(session.workingDirectory)
        case "filename": return .string(session.currentFile)
        case "current_date":
            let f = DateFormatter(); f.locale = Locale(identifier: "en_US_POSIX"); f.dateFormat = "d MMM yyyy"
            return .string(f.string(from: Date()))
        case "current_time":
            let f = DateFormatter(); f.locale = Locale(identifier: "en_US_POSIX"); f.dateFormat = "HH:mm:ss"
            return .string(f.string(from: Date()))
        case "os": return .string("Unix")
        case "stata_version", "version": return .number(18)
        case "seed": return .string(session.settings["seed"] ?? "")
        case "type": return .string(session.settings["type"] ?? "float")
        case "alpha": return .string("a b c d e f g h i j k l m n o p q r s t u v w x y z")
        case "ALPHA": return .string("A B C D E F G H I J K L M N O P Q R S T U V W X Y Z")
        case "Mons": return .string("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")
        case "dirsep": return .string("/")
        case "changed": return .number(session.frame.changed ? 1 : 0)
        case "sortedby": return .string(session.frame.sortedBy.joined(separator: " "))
        case "interactive": return .number(session.interactive ? 1 : 0)
        default:
            if let s = session.settings[name] { return Double(s).map(Value.number) ?? .string(s) }
            return nil
        }
    }
}
