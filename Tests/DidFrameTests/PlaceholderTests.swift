import XCTest
final class DidFrameTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
