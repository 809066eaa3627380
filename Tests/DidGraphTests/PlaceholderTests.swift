import XCTest
final class DidGraphTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
