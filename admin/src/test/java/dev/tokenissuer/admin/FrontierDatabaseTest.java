package dev.tokenissuer.admin;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrontierDatabaseTest {

    @Test
    @DisplayName("reads postgres://USER:PASSWORD@HOST:PORT/DB, the password percent-decoded, query kept for the driver")
    void postgresUrl() {
        FrontierDatabase.Target target = FrontierDatabase.target(
                "postgres://frontier:p%40ss+w%3Ard@db.internal:6543/frontier?sslmode=require", Map.of());

        assertThat(target.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/frontier?sslmode=require");
        assertThat(target.properties().getProperty("user")).isEqualTo("frontier");
        assertThat(target.properties().getProperty("password")).isEqualTo("p@ss+w:rd");
        assertThat(target.toString()).isEqualTo("database frontier at db.internal:6543").doesNotContain("p@ss");
    }

    @Test
    @DisplayName("takes postgresql:// too, and the password from PGPASSWORD when the URL has none")
    void postgresqlUrlAndPgPassword() {
        FrontierDatabase.Target target = FrontierDatabase.target("postgresql://reader@127.0.0.1/frontier",
                Map.of("PGPASSWORD", "from-env"));

        assertThat(target.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1/frontier");
        assertThat(target.properties().getProperty("password")).isEqualTo("from-env");
    }

    @Test
    @DisplayName("a password in the URL wins over PGPASSWORD")
    void urlPasswordWins() {
        assertThat(FrontierDatabase.target("postgres://u:in-url@h:5432/d", Map.of("PGPASSWORD", "env"))
                .properties().getProperty("password")).isEqualTo("in-url");
    }

    @Test
    @DisplayName("refuses another scheme, or a URL without a host or a database, with a message naming the form")
    void badUrls() {
        assertThatThrownBy(() -> FrontierDatabase.target("mysql://u@h/d", Map.of()))
                .isInstanceOf(AdminException.class).hasMessageContaining("postgres://");
        assertThatThrownBy(() -> FrontierDatabase.target("postgres://u@h:5432", Map.of()))
                .isInstanceOf(AdminException.class).hasMessageContaining("a host and a database");
        assertThatThrownBy(() -> FrontierDatabase.target("postgres://u@h:5432/ d", Map.of()))
                .isInstanceOf(AdminException.class).hasMessageContaining("not a URL");
    }
}
