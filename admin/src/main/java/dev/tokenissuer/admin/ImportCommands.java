package dev.tokenissuer.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code tokenctl import frontier}: the command's words and options only; {@link FrontierImport} does the work from
 * a plain {@link FrontierImport.Options}.
 */
@Command(name = "import", synopsisSubcommandLabel = "COMMAND",
        description = "Bring service users and credentials over from another token service.")
final class ImportCommands {

    private final TokenCtl tokenctl;

    ImportCommands(TokenCtl tokenctl) {
        this.tokenctl = tokenctl;
    }

    @Command(name = "frontier", description = "Import Frontier's service users, client secrets and keys (ids kept) "
            + "from its database, read-only; rerun to finish or refresh. See docs/migration.md.")
    Map<String, Object> frontier(
            @Option(names = "--database-url", required = true, paramLabel = "postgres://USER[:PASSWORD]@HOST:PORT/DB",
                    description = "Frontier's PostgreSQL; the password from PGPASSWORD when the URL has none")
            String databaseUrl,
            @Option(names = "--org", paramLabel = "ORG_ID", description = "only this organization (repeatable, or "
                    + "comma-separated)") List<String> orgs,
            @Option(names = "--dry-run", description = "print what would be done; write nothing") boolean dryRun,
            @Option(names = "--json", description = "the closing summary as JSON on stdout") boolean json)
            throws Exception {
        List<String> wanted = new ArrayList<>();
        if (orgs != null) {
            orgs.forEach(value -> Arrays.stream(value.split(",")).map(String::strip)
                    .filter(org -> !org.isEmpty()).forEach(wanted::add));
        }
        AdminContext context = tokenctl.context();
        return new FrontierImport(context.dynamo(), context.config().tableName(), Clock.systemUTC(), context.err())
                .run(new FrontierImport.Options(databaseUrl, List.copyOf(wanted), dryRun, json), context.env())
                .toJson();
    }
}
