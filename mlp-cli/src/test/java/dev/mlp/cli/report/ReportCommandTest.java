package dev.mlp.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.cli.ExitCode;
import dev.mlp.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mlp report}: where it writes, what it prints, and its exit codes. */
class ReportCommandTest {
  @TempDir Path tmp;

  @Test
  void oneRunIsReportedInItsFolderAndThePagePrinted() throws Exception {
    Path run = RunFixture.write(tmp, "r-1", 3, true, true);
    StringWriter out = new StringWriter();
    int exit =
        new CommandLine(new ReportCommand()).setOut(new PrintWriter(out)).execute(run.toString());
    assertThat(exit).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).isEqualTo(run.resolve("report.html") + System.lineSeparator());
    assertThat(run.resolve("confusion.png")).isNotEmptyFile();
  }

  @Test
  void severalRunsGoWhereOutSays() throws Exception {
    Path a = RunFixture.write(tmp, "a", 3, true, true);
    Path b = RunFixture.write(tmp, "b", 2, false, true);
    Path dir = tmp.resolve("cmp");
    StringWriter out = new StringWriter();
    int exit =
        new CommandLine(new ReportCommand())
            .setOut(new PrintWriter(out))
            .execute(a.toString(), b.toString(), "--out", dir.toString());
    assertThat(exit).isEqualTo(ExitCode.OK);
    assertThat(out.toString().strip()).isEqualTo(dir.resolve("report.html").toString());
    assertThat(dir.resolve("confusion-a.png")).isNotEmptyFile();
    assertThat(dir.resolve("confusion-b.png")).isNotEmptyFile();
  }

  @Test
  void isASubcommandOfMlpAndABadRunFolderIsBadInput() throws Exception {
    assertThat(Main.run("report", RunFixture.write(tmp, "ok", 2, false, false).toString()))
        .isEqualTo(ExitCode.OK);
    assertThat(Main.run("report", tmp.resolve("missing").toString())).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(Main.run("report")).isEqualTo(ExitCode.BAD_INPUT);
  }
}
