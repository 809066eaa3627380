// Loading commands written in the language (`stdlib/*.did`), the way Stata loads ado files:
// each file runs quietly at start-up and typically defines programs. A broken file is reported
// and skipped; the others still load.

import DidFrame
import Foundation

extension Session {
    /// Runs every `*.did` file of `directory` quietly, in name order.
    public func loadLibrary(directory: String) {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".did") }.sorted()
        for f in files {
            let path = (directory as NSString).appendingPathComponent(f)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let saved = quietDepth
            quietDepth = 1
            do { try run(source: text, file: path) } catch let e as StataError {
                quietDepth = saved
                reportError(e)
            } catch {
                quietDepth = saved
                reportError(StataError(9999, "\(error)"))
            }
            quietDepth = saved
        }
    }
}
