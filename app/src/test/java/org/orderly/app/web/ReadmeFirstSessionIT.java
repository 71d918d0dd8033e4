package org.orderly.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The README's first session, run as written: each {@code $ } line of its code block goes to one bash session
 * (so the variables it sets carry over), against this test's server, with emails of its own and an accounts
 * file holding the test's staff password. Each answer must show the status line and every quoted
 * {@code "field":"value"} the README shows for it (values with an ellipsis stand for whatever the run produced).
 * A read is asked again for a few seconds, as a reader of an eventually consistent model would.
 */
@OrderlyIntegrationTest
class ReadmeFirstSessionIT {

    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"…]*\"|\\d+)");

    @LocalServerPort
    int port;
    @TempDir
    Path directory;

    /** One command of the session and what the README shows it answering. */
    record Step(String command, List<String> shown) {
        boolean isRead() {
            return command.contains("curl") && !command.contains("-X ") && !command.contains(" -d ");
        }
    }

    @Test
    void theReadmesFirstSessionRunsAsWrittenAndAnswersAsShown() throws Exception {
        Path accounts = directory.resolve("accounts.properties");
        Files.writeString(accounts, "staff.password=" + Identities.STAFF_PASSWORD + "\n"
                + "operator.password=" + Identities.OPERATOR_PASSWORD + "\n");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<Step> steps = steps(Files.readString(Path.of("..", "README.md")).replace("localhost:8080",
                        "localhost:" + port)
                .replace("app/.orderly/accounts.properties", accounts.toString())
                .replace("ada@example.com", "ada-" + suffix + "@example.com")
                .replace("ada@lovelace.org", "ada-" + suffix + "@lovelace.org"));
        assertThat(steps).as("commands of the README's first session").hasSizeGreaterThan(8);

        Process bash = new ProcessBuilder("bash").directory(directory.toFile()).redirectErrorStream(true).start();
        var in = bash.outputWriter(StandardCharsets.UTF_8);
        var out = bash.inputReader(StandardCharsets.UTF_8);
        try {
            for (Step step : steps) {
                String answer = "";
                long deadline = System.nanoTime() + Duration.ofSeconds(step.isRead() ? 10 : 0).toNanos();
                do {
                    answer = run(in, out, step.command());
                } while (!holds(step, answer) && System.nanoTime() < deadline && pause());
                assertThat(holds(step, answer)).as("$ " + step.command() + "\nanswered:\n" + answer
                        + "\nbut the README shows:\n" + String.join("\n", step.shown())).isTrue();
            }
        } finally {
            in.write("exit\n");
            in.flush();
            bash.waitFor(10, TimeUnit.SECONDS);
            bash.destroyForcibly();
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(200);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean holds(Step step, String answer) {
        for (String line : step.shown()) {
            Matcher status = STATUS.matcher(line);
            if (status.find() && !answer.contains("HTTP/1.1 " + status.group(1))) {
                return false;
            }
            if (line.startsWith("ETag:") && !answer.contains(line)) {
                return false;
            }
            Matcher field = FIELD.matcher(line);
            while (field.find()) {
                if (!answer.contains("\"" + field.group(1) + "\":" + field.group(2))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Runs one command in the bash session and returns what it printed. */
    private static String run(java.io.BufferedWriter in, java.io.BufferedReader out, String command)
            throws IOException {
        String end = "@@end-" + UUID.randomUUID();
        in.write(command + "\necho\necho " + end + "\n");
        in.flush();
        StringBuilder answer = new StringBuilder();
        for (String line = out.readLine(); line != null && !line.equals(end); line = out.readLine()) {
            answer.append(line.replace("\r", "")).append('\n');
        }
        return answer.toString();
    }

    /** The commands of the first session's code block, each with the lines shown after it. */
    static List<Step> steps(String readme) {
        int start = readme.indexOf("```bash", readme.indexOf("## A first session"));
        int end = readme.indexOf("\n```", start + 7);
        List<Step> steps = new ArrayList<>();
        StringBuilder command = null;
        List<String> shown = new ArrayList<>();
        boolean continued = false;
        for (String line : readme.substring(readme.indexOf('\n', start) + 1, end).split("\n")) {
            if (continued) {
                command.append('\n').append(line);
                continued = line.endsWith("\\");
            } else if (line.startsWith("$ ")) {
                if (command != null) {
                    steps.add(new Step(command.toString(), shown));
                }
                command = new StringBuilder(line.substring(2));
                shown = new ArrayList<>();
                continued = line.endsWith("\\");
            } else if (!line.isBlank() && command != null) {
                shown.add(line);
            }
        }
        if (command != null) {
            steps.add(new Step(command.toString(), shown));
        }
        return steps;
    }
}
