package dev.tokenissuer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * {@link Setting} is the one table of the settings; what the docs and the template say about them is held against it
 * here: docs/api.md's settings table, the template's parameters and the function's environment there, and
 * docs/operations.md's table of those parameters.
 */
class SettingsDocumentedTest {

    private static final Path API_DOC = Path.of("..", "docs", "api.md");
    private static final Path OPERATIONS_DOC = Path.of("..", "docs", "operations.md");
    private static final Path TEMPLATE = Path.of("..", "template.yaml");
    /** Rows of api.md's table that the function does not read itself: the SDK's, and {@code tokenctl serve}'s. */
    private static final Set<String> NOT_READ_BY_THE_FUNCTION = Set.of("AWS_REGION", "PORT");
    /** The JVM's own variable, which the template sets for the runtime, not for the function's code. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    private static final Pattern ROW = Pattern.compile("^\\|(.*)\\|\\s*$");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    @DisplayName("docs/api.md's settings table gives every setting with its default and range, and no other")
    void apiDocTable() throws Exception {
        Map<String, List<String>> rows = table(Files.readString(API_DOC), "## Settings");

        for (Setting setting : Setting.values()) {
            List<String> row = rows.get(setting.name());
            assertThat(row).as("docs/api.md has no row for " + setting).isNotNull();
            String documentedDefault = row.get(0);
            if (setting.defaultValue().isPresent()) {
                assertThat(documentedDefault).as(setting + "'s default").isEqualTo("`" + setting.defaultValue().get() + "`");
            } else {
                assertThat(documentedDefault).as(setting + " has no default value: unset means none, or one derived")
                        .doesNotMatch("`[^`]*`");
            }
            if (setting.numeric()) {
                assertThat(row.get(1)).as(setting + "'s range").contains(setting.min() + "–" + setting.max());
            }
        }
        assertThat(rows.keySet()).as("rows of docs/api.md's settings table that are no setting")
                .allMatch(name -> isSetting(name) || NOT_READ_BY_THE_FUNCTION.contains(name));
    }

    @Test
    @DisplayName("the template sets only settings: each from a parameter with the setting's default and range, a "
            + "resource, or a value the setting accepts")
    void templateEnvironment() throws Exception {
        JsonNode template = template();
        JsonNode parameters = template.get("Parameters");

        environment(template).forEach((name, value) -> {
            if (JVM_VARIABLES.contains(name)) {
                return;
            }
            assertThat(isSetting(name)).as("the template sets " + name + ", which is no setting").isTrue();
            Setting setting = Setting.valueOf(name);
            Optional<String> parameter = parameterOf(value, parameters);
            if (parameter.isPresent()) {
                JsonNode declared = parameters.get(parameter.get());
                String parameterDefault = declared.path("Default").asText();
                if (value.isArray()) {  // !If [Has..., !Ref Parameter, !Ref AWS::NoValue]: empty leaves it unset
                    assertThat(parameterDefault).as(parameter.get() + ", unset when empty").isEmpty();
                } else {
                    assertThat(parameterDefault).as(parameter.get() + "'s default, for " + setting)
                            .isEqualTo(setting.defaultValue().orElse(""));
                }
                if (setting.numeric() && declared.path("Type").asText().equals("String")) {
                    // Empty means "derived" (a String parameter then): its pattern admits digits, its help the range.
                    assertThat(declared.path("AllowedPattern").asText()).as(parameter.get() + "'s AllowedPattern")
                            .contains("[0-9]");
                    assertThat(declared.path("Description").asText()).as(parameter.get() + "'s Description")
                            .contains(setting.min() + " to " + setting.max());
                } else if (setting.numeric()) {
                    assertThat(declared.path("MinValue").asLong()).as(parameter.get() + "'s MinValue")
                            .isEqualTo(setting.min());
                    assertThat(declared.path("MaxValue").asLong()).as(parameter.get() + "'s MaxValue")
                            .isEqualTo(setting.max());
                }
                if (Set.of("true", "false").contains(setting.defaultValue().orElse(""))) {
                    assertThat(declared.path("AllowedValues").toString()).as(parameter.get() + "'s AllowedValues")
                            .isEqualTo("[\"true\",\"false\"]");
                }
            } else if (!template.get("Resources").has(value.asText())) {
                assertThatCode(() -> IssuerConfig.from(Map.of(name, value.asText())))
                        .as("the template's " + name + ": " + value.asText()).doesNotThrowAnyException();
            }
        });
    }

    @Test
    @DisplayName("docs/operations.md names each parameter that sets a setting, with the template's default, and "
            + "every setting the template leaves at its default")
    void operationsDocTable() throws Exception {
        JsonNode template = template();
        JsonNode parameters = template.get("Parameters");
        String operations = Files.readString(OPERATIONS_DOC);
        Map<String, List<String>> rows = table(operations, "## Settings for production");
        Map<String, JsonNode> environment = environment(template);

        for (Map.Entry<String, JsonNode> variable : environment.entrySet()) {
            parameterOf(variable.getValue(), parameters).ifPresent(parameter -> {
                List<String> row = rows.get(parameter);
                assertThat(row).as("docs/operations.md has no row for the parameter " + parameter).isNotNull();
                assertThat(row.get(0)).as(parameter + "'s variable").isEqualTo("`" + variable.getKey() + "`");
            });
        }
        rows.forEach((parameter, row) -> {
            if (!parameters.has(parameter)) {
                return;  // a row of several parameters, or none
            }
            String templateDefault = parameters.get(parameter).path("Default").asText();
            if (templateDefault.isEmpty()) {
                assertThat(row.get(1)).as(parameter + "'s default (empty) in docs/operations.md").startsWith("(");
            } else {
                assertThat(row.get(1)).as(parameter + "'s default in docs/operations.md")
                        .isEqualTo("`" + templateDefault + "`");
            }
        });
        String leftAtDefaults = paragraphStarting(operations, "The template fixes");
        for (Setting setting : Setting.values()) {
            if (!environment.containsKey(setting.name()) && setting != Setting.AWS_ENDPOINT_URL) {
                assertThat(leftAtDefaults).as("the template does not set " + setting + ": say so in docs/operations.md")
                        .contains("`" + setting.name() + "`");
            }
        }
    }

    private static boolean isSetting(String name) {
        return Arrays.stream(Setting.values()).anyMatch(s -> s.name().equals(name));
    }

    /** The parameter a variable's value is set from: !Ref Parameter, or !If [condition, !Ref Parameter, ...]. */
    private static Optional<String> parameterOf(JsonNode value, JsonNode parameters) {
        // Jackson's YAML reader skips CloudFormation's short-form tags (!Ref, !If) and keeps their values.
        String named = value.isArray() ? value.path(1).asText() : value.asText();
        return parameters.has(named) ? Optional.of(named) : Optional.empty();
    }

    private static JsonNode template() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile());
    }

    private static Map<String, JsonNode> environment(JsonNode template) {
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        template.at("/Resources/TokenFunction/Properties/Environment/Variables").fields()
                .forEachRemaining(e -> variables.put(e.getKey(), e.getValue()));
        assertThat(variables).as("the function's environment in the template").isNotEmpty();
        return variables;
    }

    /**
     * The first table after {@code heading}: each row under the name in its first cell (each name in backticks, when
     * it names several), with the other cells.
     */
    private static Map<String, List<String>> table(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : markdown.substring(start).split("\n")) {
            Matcher row = ROW.matcher(line);
            if (!row.matches()) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            List<String> cells = new ArrayList<>(Arrays.stream(row.group(1).split("\\|")).map(String::trim).toList());
            Matcher names = CODE.matcher(cells.get(0));
            List<String> rest = cells.subList(1, cells.size());
            while (names.find()) {
                rows.put(names.group(1), List.copyOf(rest));
            }
        }
        return rows;
    }

    private static String paragraphStarting(String markdown, String start) {
        int at = markdown.indexOf(start);
        assertThat(at).as("docs/operations.md: " + start).isNotNegative();
        int end = markdown.indexOf("\n\n", at);
        return markdown.substring(at, end < 0 ? markdown.length() : end);
    }
}
