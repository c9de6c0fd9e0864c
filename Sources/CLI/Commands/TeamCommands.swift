import ArgumentParser
import Store
import Workflow

/// `narvaro team …`: what the team does as a team (team meetings, supervision), for the
/// structural fidelity criteria. Names staff only, never a student.
struct TeamGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Registrera teammöten och handledning. (Record team meetings and supervision.)",
        discussion: """
            Trohetsrapporten räknar teammöten per vecka och handledning de senaste 30 dagarna (kriterierna av slag \
            team-meeting och supervision). Händelserna sparas i teamets egen hashkedja.

            The fidelity report counts team meetings per week and supervision in the last 30 days (criteria of kind \
            team-meeting and supervision). The events are kept on the team's own hash chain.
            """,
        subcommands: [Meeting.self, Supervision.self, List.self]
    )

    struct Meeting: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Registrera att ett teammöte hölls. (Record that a team meeting was held.)")
        @Option(help: "Datum för mötet, standard i dag. (The date of the meeting; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func run() throws {
            let stamp = options.stamp()
            let on = date?.day ?? stamp.today
            try TeamGroup.record(.meetingHeld(on: on), stamp: stamp, options: options)
            Console.out(options.t("Teammötet \(on) är registrerat.", "The team meeting on \(on) is recorded."))
        }
    }

    struct Supervision: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Registrera att någon fick handledning. (Record that someone had supervision.)")
        @Option(help: "Vem som fick handledning, som i narvaro case assign. (Who had supervision, as named in narvaro case assign.)")
        var person: String
        @Option(help: "Datum för handledningen, standard i dag. (The date; default today.)") var date: DayArgument?
        @OptionGroup var options: StoreOptions

        func run() throws {
            let stamp = options.stamp()
            let on = date?.day ?? stamp.today
            try TeamGroup.record(.supervisionHeld(person: person, on: on), stamp: stamp, options: options)
            Console.out(options.t("Handledningen för \(person) \(on) är registrerad.", "Supervision for \(person) on \(on) is recorded."))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Visa teamets registrerade möten och handledning. (Show the team's recorded meetings and supervision.)")
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.openStore()
            let events: [TeamEvent]
            do { events = try store.teamEvents() } catch { throw options.fail(error) }
            if events.isEmpty {
                Console.out(options.t(
                    "Inga teammöten eller handledning registrerade. Registrera med: narvaro team meeting / narvaro team supervision",
                    "No team meetings or supervision recorded. Record them with: narvaro team meeting / narvaro team supervision"))
                return
            }
            for event in events.sorted(by: { $0.day < $1.day }) {
                switch event {
                case .meetingHeld(let on): Console.out(options.t("\(on)  teammöte", "\(on)  team meeting"))
                case .supervisionHeld(let person, let on): Console.out(options.t("\(on)  handledning: \(person)", "\(on)  supervision: \(person)"))
                }
            }
        }
    }

    static func record(_ event: TeamEvent, stamp: Stamp, options: StoreOptions) throws {
        if event.day > stamp.today {
            Console.error(options.t(
                "fel: \(event.day) har inte varit än; registrera det som har hänt.", "error: \(event.day) has not happened yet; record what has happened."))
            throw ExitCode(1)
        }
        let store = try options.openStore()
        do { try store.recordTeam(event, stamp: stamp) } catch { throw options.fail(error) }
    }
}
