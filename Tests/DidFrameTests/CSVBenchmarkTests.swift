import Foundation
import XCTest
@testable import DidFrame

/// End-to-end check and timing of `import delimited` on a panel shaped like the reference
/// benchmark (bench/gen_panel.py: unit, year, fe3 integers, x1…x5 and y with 17 significant
/// digits): every parsed double must equal the one written. 100k rows always; 1M rows when
/// DID_CSV_BENCH is set (run with `-c release` for meaningful times).
final class CSVBenchmarkTests: XCTestCase {
    func testPanelParsesExactly() throws {
        let n = ProcessInfo.processInfo.environment["DID_CSV_BENCH"] != nil ? 1_000_000 : 100_000
        var rng = SplitMix64(seed: 20261123)
        var cols = [[Double]](repeating: [], count: 6)
        var text = "unit,year,fe3,x1,x2,x3,x4,x5,y\n"
        text.reserveCapacity(n * 140)
        for i in 0..<n {
            let fe3 = Int(rng.next() % 1000) + 1
            text += "\(i / 20 + 1),\(2001 + i % 20),\(fe3)"
            for k in 0..<6 {
                // Normal-ish values of both signs and magnitudes 1e-6…1e2, printed as gen_panel does.
                let u = Double(rng.next() >> 11) / 9007199254740992.0
                let x = (u - 0.5) * pow(10, Double(rng.next() % 9) - 6)
                cols[k].append(x)
                text += "," + String(format: "%.17g", x)
            }
            text += "\n"
        }
        let path = scratchPath(".csv"); defer { unlink(path) }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let t0 = Date(), c0 = processCPUSeconds()
        let f = try CSVReader.read(path: path, options: CSVOptions(asDouble: true))
        let wall = Date().timeIntervalSince(t0), cpu = processCPUSeconds() - c0
        print(String(format: "import delimited %d rows: wall %.3f s, cpu %.3f s", n, wall, cpu))
        XCTAssertEqual(f.count, n)
        let unitType: StorageType = n / 20 > 32740 ? .long : .int
        XCTAssertEqual(f.columns.map(\.type), [unitType, .int, .int, .double, .double, .double, .double, .double, .double])
        for k in 0..<6 { assertSameBits(f.columns[3 + k].nums, cols[k], f.columns[3 + k].name) }
        let g = try CSVReader.read(path: path)
        XCTAssertEqual(g.columns[3].type, .float)
        assertSameBits(g.columns[3].nums, cols[0].map { Double(Float($0)) }, "float x1")
    }
}

/// A small deterministic generator (SplitMix64) so the test data are the same on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
