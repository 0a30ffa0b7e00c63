import Campaigns
import CoreModel
import Foundation

/// What `campaign preview` and `campaign launch` show before anything is
/// sent: the `CampaignPreview`, printed.
struct CampaignSummary {
    let config: TidingsConfig
    let store: SQLiteStore
    let definition: CampaignDefinition
    let reveal: Bool

    /// Prints the summary; returns how many template errors were found.
    @discardableResult
    func print(sample: Int) async throws -> Int {
        let preview: CampaignPreview
        do {
            preview = try await CampaignPreview.make(
                definition, config: config, store: store, reveal: reveal, sample: sample)
        } catch let error as CampaignPreview.Unparsable {
            throw CommandFailure(error.description)
        }
        Swift.print(preview.text)
        return preview.errors
    }
}
