package dev.tokenissuer.admin;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code tokenctl import frontier}: the command's words and options only; {@link FrontierImport} does the work from
 * a plain {@link FrontierImport.Options}.
 */
final class ImportCommands {

    private ImportCommands() {
    }

    static List<Command> all() {
        return List.of(new Command("import frontier",
                "import frontier --database-url postgres://USER[:PASSWORD]@HOST:PORT/DB [--org ID[,ID...]] [--dry-run] [--json]",
                "Import Frontier's service users, client secrets and keys (ids kept) from its database, read-only; "
                        + "rerun to finish or refresh. See docs/migration.md.",
                Set.of("database-url", "org"), Set.of("dry-run", "json"), (args, context) -> {
                    args.none();
                    List<String> orgs = args.option("org").map(value -> Arrays.stream(value.split(","))
                            .map(String::strip).filter(org -> !org.isEmpty()).toList()).orElse(List.of());
                    FrontierImport.Options options = new FrontierImport.Options(args.required("database-url"), orgs,
                            args.flag("dry-run"), args.flag("json"));
                    return new FrontierImport(context.dynamo(), context.config().tableName(), Clock.systemUTC(),
                            context.err()).run(options, context.env()).toJson();
                }));
    }
}
