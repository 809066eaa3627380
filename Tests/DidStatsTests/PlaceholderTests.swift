import XCTest
final class DidStatsTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
