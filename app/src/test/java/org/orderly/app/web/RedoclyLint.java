package org.orderly.app.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs Redocly's linter ({@code @redocly/cli}, from npm through {@code npx}) with its recommended rules on an
 * OpenAPI document. The version is pinned, so a new release of the rules cannot fail a build that passed.
 */
final class RedoclyLint {

    static final String CLI = "@redocly/cli@2.77.0";

    record Result(List<String> problems, String output) {
    }

    private RedoclyLint() {
    }

    static Result run(Path document) throws IOException, InterruptedException {
        Path report = Files.createTempFile("redocly", ".json");
        Path log = Files.createTempFile("redocly", ".log");
        try {
            Process process = new ProcessBuilder("npx", "--yes", CLI, "lint", "--extends", "recommended",
                    "--format", "json", document.toString())
                    .redirectOutput(report.toFile())
                    .redirectError(log.toFile())
                    .start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("Redocly's linter did not finish within 5 minutes");
            }
            String json = Files.readString(report, StandardCharsets.UTF_8);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (json.isBlank()) {
                throw new IllegalStateException("Redocly's linter wrote no report (exit " + process.exitValue()
                        + "): " + output);
            }
            List<String> problems = new ArrayList<>();
            for (JsonNode problem : new ObjectMapper().readTree(json).path("problems")) {
                String where = problem.path("location").path(0).path("pointer").asText("");
                problems.add(problem.path("severity").asText() + " " + problem.path("ruleId").asText() + " "
                        + where + ": " + problem.path("message").asText());
            }
            return new Result(problems, String.join("\n", problems));
        } finally {
            Files.deleteIfExists(report);
            Files.deleteIfExists(log);
        }
    }
}
