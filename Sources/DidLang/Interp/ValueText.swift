// How a single cell is shown in output (list, by-headers, tabulate): value labels first, then
// the variable's display format.

import DidFrame

/// Formatting of cells for display.
public enum ValueText {
    /// The text of observation `row` of `column`.
    public static func display(_ c: Column, row: Int, frame: Frame, useLabels: Bool = true) -> String {
        if c.isString { return c.strs[row] }
        let v = c.nums[row]
        if useLabels, let ln = c.valueLabel, let set = frame.valueLabels[ln], v == v.rounded(), !Missing.isMissing(v),
           let text = set.mapping[Int(v)] {
            return text
        }
        let s = (try? Fmt.format(v, c.format)) ?? "\(v)"
        return s.trimmingCharacters(in: .whitespaces)
    }
}
