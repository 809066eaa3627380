import Foundation

// Stata's rules for variable names: 1–32 characters, letters, digits and `_`, not starting with a
// digit, and not one of the reserved words. Used by `import delimited` to turn header text into
// names and available to the language layer for `rename`/`generate` checks.

/// Validity of Stata variable names.
public enum StataName {
    /// Words Stata reserves (`_n`, `if`, type names, …).
    public static let reserved: Set<String> = [
        "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_N",
        "_pi", "_pred", "_rc", "_skip", "strL", "using", "with",
    ]

    /// True when `name` may name a variable.
    public static func isValid(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard (1...32).contains(u.count) else { return false }
        guard isLetter(u[0]) || u[0] == 0x5F else { return false }
        guard u.allSatisfy({ isLetter($0) || $0 == 0x5F || ($0 >= 0x30 && $0 <= 0x39) }) else { return false }
        if reserved.contains(name) { return false }
        if name.hasPrefix("str"), name.count > 3, name.dropFirst(3).allSatisfy(\.isNumber) { return false }
        return true
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }

    /// Names for imported columns, as `import delimited` makes them: the header text lowercased
    /// (unless `lowercase` is false) with the characters a name cannot hold removed and cut to
    /// 32 characters ("No. of kids" → `nofkids`, "first.treat" → `firsttreat`); when that is
    /// empty, starts with a digit, is reserved or already used, `v#` with # the column's 1-based
    /// position (and, if that is taken too, the first free `v#_k`).
    public static func importNames(_ headers: [String?], lowercase: Bool = true) -> [String] {
        var used = Set<String>()
        var out: [String] = []
        for (j, h) in headers.enumerated() {
            var name = h ?? ""
            if lowercase { name = name.lowercased() }
            name = String(name.unicodeScalars.filter { $0.isASCII && (isLetter(UInt8($0.value)) || $0 == "_" || ("0"..."9").contains($0)) }
                .prefix(32).map(Character.init))
            if !isValid(name) || used.contains(name) {
                name = "v\(j + 1)"
                var k = 1
                while used.contains(name) { name = "v\(j + 1)_\(k)"; k += 1 }
            }
            used.insert(name)
            out.append(name)
        }
        return out
    }
}
