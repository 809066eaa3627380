// describe [varlist] [, short simple]
//
// Stata 17/18 layout: "Contains data" header with observation and variable counts, then the
// variable table (name 16 columns, storage type 8, display format 11, value label 11, variable
// label wrapped at the 79-column line size), then "Sorted by:".

import DidFrame
import Foundation

enum Describe {
    static let options = [OptionSpec("short", min: 2), OptionSpec("simple"), OptionSpec("fullnames"), OptionSpec("numbers")]
    static let lineSize = 79
    /// Column where the variable label starts.
    static let labelColumn = 46

    /// describe: the command body.
    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: options)
        let all = call.head.isEmpty
        let vars = all ? s.frame.columns.map(\.name) : try s.varlist(call.head)
        var r = StoredResults()
        r.set("N", Double(s.frame.count))
        r.set("k", Double(s.frame.width))
        r.set("changed", s.frame.changed ? 1 : 0)
        s.rResults = r
        if o.has("simple") {
            simple(vars, s); return
        }
        s.line()
        if all || o.has("short") {
            header(s)
        }
        if o.has("short") || (all && vars.isEmpty) { sortedBy(s); return }
        let rule = OutText.dashes(lineSize)
        if all { s.line(rule) }
        s.line("Variable      Storage   Display    Value")
        s.line("    name         type    format    label      Variable label")
        s.line(rule)
        for v in vars { row(s.frame.column(v)!, s) }
        if all {
            s.line(rule)
            sortedBy(s)
        }
    }

    static func header(_ s: Session) {
        s.line("Contains data" + (s.currentDataFile.map { " from " + $0 } ?? ""))
        let label = s.frame.label
        s.line(" Observations:" + OutText.count(Double(s.frame.count), width: 14) + (label.isEmpty ? "" : OutText.spaces(18) + label))
        s.line("    Variables:" + OutText.count(Double(s.frame.width), width: 14)
               + (s.frame.timestamp.map { OutText.spaces(18) + stamp($0) } ?? ""))
    }

    /// The file's time stamp as stored ("01 Jan 2000 00:00": ReadStat parses the header's
    /// "dd Mon yyyy hh:mm" as local time and writes it back the same way, day zero-padded).
    static func stamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var tm = tm()
        localtime_r(&t, &tm)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(format: "%02d %@ %04d %02d:%02d", Int(tm.tm_mday), months[Int(tm.tm_mon)], Int(tm.tm_year) + 1900,
                      Int(tm.tm_hour), Int(tm.tm_min))
    }

    static func sortedBy(_ s: Session) {
        s.line("Sorted by: " + s.frame.sortedBy.joined(separator: " "))
        if s.frame.changed { s.line("     Note: Dataset has changed since last saved.") }
    }

    /// One variable: name, type, format, value label, label (wrapped).
    static func row(_ c: Column, _ s: Session) {
        var line = OutText.left(OutText.abbrev(c.name, 15), 16) + OutText.left(c.type.description, 8)
        line += OutText.left(c.format, 11)
        let vl = c.valueLabel ?? ""
        var labelLines = c.label.isEmpty ? [] : OutText.wrap(c.label, lineSize - labelColumn)
        if vl.count > 10 || c.format.count > 10 {
            // A long value-label name takes the rest of the line; the label moves down.
            if labelLines.isEmpty { s.line(line + vl); return }
            s.line(line + vl)
            line = OutText.spaces(labelColumn)
        } else {
            line += OutText.left(vl, 11)
        }
        line += labelLines.isEmpty ? "" : labelLines.removeFirst()
        s.line(line)
        for l in labelLines { s.line(OutText.spaces(labelColumn + 2) + l) }
    }

    /// `describe, simple`: names only, two spaces apart, wrapped at the line size.
    static func simple(_ vars: [String], _ s: Session) {
        var line = ""
        for v in vars {
            if !line.isEmpty && line.count + 2 + v.count > lineSize { s.line(line); line = "" }
            line += (line.isEmpty ? "" : "  ") + v
        }
        if !line.isEmpty { s.line(line) }
    }
}
