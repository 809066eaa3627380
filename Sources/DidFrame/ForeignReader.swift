import CReadStat
import Foundation

// SPSS (`.sav`, `.zsav`, `.por`) and SAS (`.sas7bdat`, `.xpt`) files through ReadStat, for
// `import spss` and `import sas`. They share the .dta reader's handlers; what differs is fixed up
// afterwards: display formats are the foreign ones (SPSS `F8.2`), so Stata defaults replace them,
// and string widths are recomputed from the data because the formats count widths differently.

/// Reads SPSS and SAS datasets.
public enum ForeignReader {
    /// The foreign formats ReadStat reads.
    public enum Kind: String, Sendable {
        case spss, spssPortable, sas, sasTransport

        /// The format of a file, from its extension.
        public init?(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "sav", "zsav": self = .spss
            case "por": self = .spssPortable
            case "sas7bdat": self = .sas
            case "xpt", "xport": self = .sasTransport
            default: return nil
            }
        }

        var name: String {
            switch self {
            case .spss, .spssPortable: return "SPSS"
            case .sas, .sasTransport: return "SAS"
            }
        }
    }

    /// Loads a foreign dataset; errors are r(601) for a missing file and r(610) for a file that
    /// is not of the format.
    public static func read(path: String, kind: Kind, variables: [String]? = nil) throws -> Frame {
        guard FileManager.default.fileExists(atPath: path) else { throw StataError.fileNotFound(path) }
        let parse: DTAReader.ParseFunction
        switch kind {
        case .spss: parse = readstat_parse_sav
        case .spssPortable: parse = readstat_parse_por
        case .sas: parse = readstat_parse_sas7bdat
        case .sasTransport: parse = readstat_parse_xport
        }
        let frame: Frame
        do {
            frame = try DTAReader.read(path: path, variables: variables, rows: nil, parse: parse)
        } catch let e as StataError where e.code == 610 {
            throw StataError(610, "file \(path) not \(kind.name) format")
        }
        for j in frame.columns.indices {
            var c = frame.columns[j]
            if c.isString {
                let w = c.strs.reduce(1) { max($0, $1.utf8.count) }
                c.type = w > 2045 ? .strL : .str(w)
            }
            c.format = c.type.defaultFormat
            frame.columns[j] = c
        }
        frame.changed = false
        return frame
    }
}
