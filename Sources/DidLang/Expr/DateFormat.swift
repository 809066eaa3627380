// Date and time display formats (%td, %tc, %tm, %tq, %th, %ty, %tw), used by DisplayFormat.
//
// %td counts days since 01jan1960 and defaults to `DDmonCCYY` (01jan2013); %tc counts
// milliseconds since 01jan1960 00:00:00 and defaults to `DDmonCCYY HH:MM:SS`; %tm/%tq/%th/%tw
// count months/quarters/half-years/weeks since 1960 and show 2013m1, 2013q1, 2013h1, 2013w1;
// %ty shows the year itself. Custom codes follow the unit letter: CC cc YY yy (year parts),
// NN nn (month number), DD dd (day), Mon mon MON Month month (month name), Dayname dayname Day
// day (weekday), JJJ jjj (day of year), HH hh MM SS (time), am/pm, `_` for a space, `!c` for a
// literal c; any other punctuation is copied. Business calendars (%tb) are not supported and
// show the raw number.
import DidFrame
import Foundation

/// Formats Stata date/time values.
enum DateFormat {
    static let monthFull = ["January", "February", "March", "April", "May", "June", "July",
                            "August", "September", "October", "November", "December"]
    static let dayFull = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// `code` is the unit letter followed by optional custom codes (e.g. "dDD/NN/CCYY").
    static func format(_ x: Double, _ code: String) -> String {
        guard let unit = code.first, abs(x) < 1e15 else { return "\(x)" }
        let custom = String(code.dropFirst())
        let v = Int(Foundation.floor(x))
        switch unit {
        case "d":
            return render(day: v, ms: 0, codes: custom.isEmpty ? "DDmonCCYY" : custom)
        case "c", "C":
            let msPerDay = 86_400_000
            let day = Int(Foundation.floor(x / Double(msPerDay)))
            let ms = v - day * msPerDay
            return render(day: day, ms: ms, codes: custom.isEmpty ? "DDmonCCYY_HH:MM:SS" : custom)
        case "m", "q", "h", "w":
            let per = unit == "m" ? 12 : unit == "q" ? 4 : unit == "h" ? 2 : 52
            let y = 1960 + Int(Foundation.floor(Double(v) / Double(per)))
            let k = v - (y - 1960) * per + 1
            return "\(y)\(unit)\(k)"
        case "y":
            return String(v)
        default:
            return DisplayFormat.cFormat(x, "f", 0)
        }
    }

    static func two(_ n: Int) -> String { n < 10 && n >= 0 ? "0\(n)" : String(n) }

    /// Renders custom codes for a day number and the milliseconds into that day.
    static func render(day: Int, ms: Int, codes: String) -> String {
        let c = CivilDate(stataDay: day)
        let dow = ((day % 7) + 5 + 7) % 7
        let doy = CivilDate.daysFromCivil(c.year, c.month, c.day) - CivilDate.daysFromCivil(c.year, 1, 1) + 1
        let hour = ms / 3_600_000, minute = (ms / 60_000) % 60, second = (ms / 1000) % 60
        let table: [(String, () -> String)] = [
            ("Dayname", { dayFull[dow] }), ("dayname", { dayFull[dow].lowercased() }),
            ("Month", { monthFull[c.month - 1] }), ("month", { monthFull[c.month - 1].lowercased() }),
            ("MON", { String(monthFull[c.month - 1].prefix(3)).uppercased() }),
            ("Mon", { String(monthFull[c.month - 1].prefix(3)) }),
            ("mon", { String(monthFull[c.month - 1].prefix(3)).lowercased() }),
            ("Day", { String(dayFull[dow].prefix(3)) }), ("day", { String(dayFull[dow].prefix(3)).lowercased() }),
            ("JJJ", { doy < 10 ? "00\(doy)" : doy < 100 ? "0\(doy)" : String(doy) }), ("jjj", { String(doy) }),
            ("CC", { two(c.year / 100) }), ("cc", { String(c.year / 100) }),
            ("YY", { two(((c.year % 100) + 100) % 100) }), ("yy", { String(((c.year % 100) + 100) % 100) }),
            ("NN", { two(c.month) }), ("nn", { String(c.month) }),
            ("DD", { two(c.day) }), ("dd", { String(c.day) }),
            ("HH", { two(hour) }), ("hh", { two(hour % 12 == 0 ? 12 : hour % 12) }),
            ("MM", { two(minute) }), ("SS", { two(second) }),
            ("am", { hour < 12 ? "am" : "pm" }), ("pm", { hour < 12 ? "am" : "pm" }),
        ]
        var out = ""
        var rest = Substring(codes)
        outer: while let ch = rest.first {
            if ch == "!" { rest = rest.dropFirst(); if let lit = rest.first { out.append(lit); rest = rest.dropFirst() }; continue }
            if ch == "_" { out.append(" "); rest = rest.dropFirst(); continue }
            for (key, f) in table where rest.hasPrefix(key) {
                out += f(); rest = rest.dropFirst(key.count); continue outer
            }
            out.append(ch); rest = rest.dropFirst()
        }
        return out
    }
}
