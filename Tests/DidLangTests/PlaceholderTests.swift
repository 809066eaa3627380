import XCTest
final class DidLangTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
