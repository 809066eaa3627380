// Date functions on Stata daily dates: days since 01jan1960 (day 0), proleptic Gregorian.
// Monthly/quarterly dates count months/quarters since 1960m1/1960q1. Conversions use the
// days-from-civil arithmetic (era of 400 years = 146097 days) so they are exact for any year.
import DidFrame
import Foundation

extension FunctionRegistry {
    static let dates: [String: Builtin] = [
        "mdy": Builtin(arity: 3...3) { a, run in
            try map3(a, run) { m, d, y in CivilDate.stataDay(year: y, month: m, day: d) }
        },
        "date": Builtin(arity: 2...3) { a, run in
            try a[0].requireString(); try a[1].requireString()
            if a.count > 2 { try a[2].requireNumeric() }
            return mapRowsNum(run.n, a) { k in
                CivilDate.parse(a[0].str(k), mask: a[1].str(k), topYear: a.count > 2 ? a[2].num(k) : nil)
            }
        },
        "daily": Builtin(arity: 2...3) { a, run in
            try a[0].requireString(); try a[1].requireString()
            return mapRowsNum(run.n, a) { k in
                CivilDate.parse(a[0].str(k), mask: a[1].str(k), topYear: a.count > 2 ? a[2].num(k) : nil)
            }
        },
        "year": dayPart { Double($0.year) },
        "yofd": dayPart { Double($0.year) },
        "month": dayPart { Double($0.month) },
        "day": dayPart { Double($0.day) },
        "quarter": dayPart { Double(($0.month - 1) / 3 + 1) },
        "halfyear": dayPart { Double(($0.month - 1) / 6 + 1) },
        "mofd": dayPart { Double(($0.year - 1960) * 12 + $0.month - 1) },
        "qofd": dayPart { Double(($0.year - 1960) * 4 + ($0.month - 1) / 3) },
        "dow": unary { d in
            // 01jan1960 was a Friday (dow 5, Sunday = 0).
            guard abs(d) < 1e9 else { return Missing.dot }
            let k = Int(Foundation.floor(d)) % 7
            return Double((k + 5 + 7) % 7)
        },
        "doy": dayPart { c in Double(CivilDate.daysFromCivil(c.year, c.month, c.day) - CivilDate.daysFromCivil(c.year, 1, 1) + 1) },
        "week": dayPart { c in
            // Stata weeks: days 1–7 of the year are week 1, …, week 52 absorbs the last 1–2 days.
            let doy = CivilDate.daysFromCivil(c.year, c.month, c.day) - CivilDate.daysFromCivil(c.year, 1, 1)
            return Double(min(52, doy / 7 + 1))
        },
        "ym": Builtin(arity: 2...2) { a, run in
            try map2(a[0], a[1], n: run.n) { y, m in
                y == y.rounded() && m == m.rounded() && m >= 1 && m <= 12 ? (y - 1960) * 12 + m - 1 : Missing.dot
            }
        },
        "yq": Builtin(arity: 2...2) { a, run in
            try map2(a[0], a[1], n: run.n) { y, q in
                y == y.rounded() && q == q.rounded() && q >= 1 && q <= 4 ? (y - 1960) * 4 + q - 1 : Missing.dot
            }
        },
        "dofm": unary { m in
            guard abs(m) < 1e8 else { return Missing.dot }
            let mm = Int(Foundation.floor(m))
            let y = 1960 + Int(Foundation.floor(Double(mm) / 12)), mo = mm - (y - 1960) * 12 + 1
            return CivilDate.stataDay(year: Double(y), month: Double(mo), day: 1)
        },
        "dofq": unary { q in
            guard abs(q) < 1e8 else { return Missing.dot }
            let qq = Int(Foundation.floor(q))
            let y = 1960 + Int(Foundation.floor(Double(qq) / 4)), qu = qq - (y - 1960) * 4
            return CivilDate.stataDay(year: Double(y), month: Double(qu * 3 + 1), day: 1)
        },
        "dofy": unary { y in y == y.rounded() ? CivilDate.stataDay(year: y, month: 1, day: 1) : Missing.dot },
    ]

    /// A function of the calendar date of a daily date (floored), missing in → missing out.
    static func dayPart(_ f: @escaping (CivilDate) -> Double) -> Builtin {
        unary { d in
            guard abs(d) < 1e9 else { return Missing.dot }
            return f(CivilDate(stataDay: Int(Foundation.floor(d))))
        }
    }

    /// Three numeric arguments, missing propagating.
    static func map3(_ a: [Vec], _ run: EvalRun, _ f: @escaping (Double, Double, Double) -> Double) throws -> Vec {
        for v in a { try v.requireNumeric() }
        return mapRowsNum(run.n, a) { k in
            let x = a[0].num(k), y = a[1].num(k), z = a[2].num(k)
            return isMiss(x) || isMiss(y) || isMiss(z) ? Missing.dot : norm(f(x, y, z))
        }
    }
}

/// A proleptic Gregorian calendar date and its conversions to Stata daily dates.
struct CivilDate: Equatable {
    var year: Int, month: Int, day: Int

    /// Stata day 0 is 01jan1960, which is day -3653 counted from 01jan1970.
    static let offset1960 = 3653

    /// Days since 01jan1970 of a civil date (Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The calendar date of a Stata daily date.
    init(stataDay: Int) {
        let z = stataDay - Self.offset1960 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(_ m: Int, _ y: Int) -> Int {
        [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    /// mdy(): whole numbers forming a valid date in years 100–9999, else missing.
    static func stataDay(year y: Double, month m: Double, day d: Double) -> Double {
        guard y == y.rounded(), m == m.rounded(), d == d.rounded(),
              y >= 100, y <= 9999, m >= 1, m <= 12, d >= 1, d <= 31 else { return Missing.dot }
        let yi = Int(y), mi = Int(m), di = Int(d)
        guard di <= daysIn(mi, yi) else { return Missing.dot }
        return Double(daysFromCivil(yi, mi, di) + offset1960)
    }

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// date(s, mask[, topyear]): mask is an order of D, M, Y, where Y may be preceded by a
    /// two-digit century ("19Y") for two-digit years; topyear resolves two-digit years to the
    /// latest year not after it. Separators are any non-alphanumeric characters; months may be
    /// numbers or English names/abbreviations; a run of digits without separators ("20130115")
    /// is split by the mask's field widths. Unparseable text gives missing.
    static func parse(_ s: String, mask: String, topYear: Double?) -> Double {
        // Parse the mask into fields, with an optional century for Y.
        var order: [Character] = []
        var century: Int? = nil
        var digits = ""
        for ch in mask {
            if ch.isNumber { digits.append(ch); continue }
            let u = Character(ch.uppercased())
            if u == "D" || u == "M" || u == "Y" {
                if u == "Y", !digits.isEmpty { century = Int(digits) }
                order.append(u)
            }
            digits = ""
        }
        guard order.count == 3, Set(order).count == 3 else { return Missing.dot }
        // Tokenise the text into digit runs and letter runs.
        var tokens: [String] = []
        var cur = "", curIsDigit = false
        for ch in s.lowercased() {
            let isD = ch.isASCII && ch.isNumber, isA = ch.isASCII && ch.isLetter
            if isD || isA {
                if !cur.isEmpty && curIsDigit != isD { tokens.append(cur); cur = "" }
                cur.append(ch); curIsDigit = isD
            } else if !cur.isEmpty { tokens.append(cur); cur = "" }
        }
        if !cur.isEmpty { tokens.append(cur) }
        if tokens.count == 1, tokens[0].allSatisfy({ $0.isNumber }) {
            // Compact digits: split by widths (Y is 4 digits, or 2 with a century prefix).
            let t = Array(tokens[0])
            let widths = order.map { $0 == "Y" ? (century != nil || topYear != nil ? (t.count == 6 ? 2 : 4) : 4) : 2 }
            guard widths.reduce(0, +) == t.count else { return Missing.dot }
            var parts: [String] = [], i = 0
            for w in widths { parts.append(String(t[i..<(i + w)])); i += w }
            tokens = parts
        }
        guard tokens.count == 3 else { return Missing.dot }
        var y = 0, m = 0, d = 0, yDigits = 0
        for (field, tok) in zip(order, tokens) {
            switch field {
            case "M":
                if let v = Int(tok) { m = v }
                else if tok.count >= 3, let i = monthNames.firstIndex(of: String(tok.prefix(3))) { m = i + 1 }
                else { return Missing.dot }
            case "D":
                guard let v = Int(tok), tok.count <= 2 else { return Missing.dot }
                d = v
            default:
                guard let v = Int(tok), tok.count <= 4 else { return Missing.dot }
                y = v; yDigits = tok.count
            }
        }
        if yDigits <= 2 {
            if let c = century { y += c * 100 }
            else if let top = topYear, !isMiss(top), abs(top) < 1e6 {
                let t = Int(top)
                var cand = (t / 100) * 100 + y
                if cand > t { cand -= 100 }
                y = cand
            } else { return Missing.dot }
        }
        return stataDay(year: Double(y), month: Double(m), day: Double(d))
    }
}
