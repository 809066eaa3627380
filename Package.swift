// swift-tools-version:6.0
// did — a Stata-compatible language for difference-in-differences studies.
//
// Layers (data flows one way):
//   source text → DidLang (lexer, parser, interpreter, commands)
//              → DidStats (estimators, inference) → DidKernel (BLAS/LAPACK, demeaning loops)
//   DidFrame: columnar data and file formats, below DidStats.  DidGraph: cairo rendering.
//   Did: the public embedding facade.  `did`: the CLI/REPL host built on it.
import PackageDescription

let package = Package(
    name: "did",
    products: [
        .library(name: "Did", targets: ["Did"]),
        .executable(name: "did", targets: ["did"]),
    ],
    targets: [
        // C libraries from Debian, behind private shims.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CReadStat", path: "Sources/CReadStat"),
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo"),

        .target(name: "DidKernel", dependencies: ["CBLAS"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "DidFrame", dependencies: ["CReadStat"]),
        .target(name: "DidStats", dependencies: ["DidKernel", "DidFrame"]),
        .target(name: "DidGraph", dependencies: ["CCairo"]),
        .target(name: "DidLang", dependencies: ["DidFrame", "DidStats", "DidGraph"]),
        .target(name: "Did", dependencies: ["DidLang", "DidFrame"]),
        .executableTarget(name: "did", dependencies: ["Did", "CReadline"]),
        // libFuzzer target for the front end (scripts/fuzz); an ordinary build only compiles it.
        .executableTarget(name: "did-fuzz", dependencies: ["DidLang", "DidFrame"]),

        .testTarget(name: "DidKernelTests", dependencies: ["DidKernel"]),
        .testTarget(name: "DidFrameTests", dependencies: ["DidFrame"]),
        .testTarget(name: "DidStatsTests", dependencies: ["DidStats", "DidFrame"]),
        .testTarget(name: "DidGraphTests", dependencies: ["DidGraph"]),
        .testTarget(name: "DidLangTests", dependencies: ["DidLang", "DidFrame"]),
        .testTarget(name: "DidEmbedTests", dependencies: ["Did"]),
    ],
    swiftLanguageModes: [.v5]
)
