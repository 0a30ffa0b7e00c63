import Campaigns
import CoreModel
import Foundation
import Logging
import ServiceLifecycle

/// The worker's campaign clock: every `interval` it starts scheduled
/// campaigns whose time came, fans out due cron runs and completes campaigns
/// with nothing left to send (`CampaignLauncher.tick`).
struct CampaignService: Service {
    let launcher: CampaignLauncher
    let gate: CampaignSendGate
    var interval: Duration = .seconds(5)
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await launcher.tick(now: Date(), logger: logger)
                await gate.refreshHolds()
            } catch {
                logger.error("campaign tick failed; trying again", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
