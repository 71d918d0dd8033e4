package org.orderly.config.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PreferencesTest {

    private static final Duration MAX = Duration.ofSeconds(10);

    @Test
    void aWaitPreferenceGivesItsSeconds() {
        assertThat(Preferences.waitOf("wait=3", MAX)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theWaitIsFoundAmongOtherPreferencesWhateverItsCase() {
        assertThat(Preferences.waitOf("respond-async, WAIT = 2; foo=bar", MAX)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Preferences.waitOf("return=minimal, wait=\"4\"", MAX)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aLongerWaitThanTheServerAllowsIsCutToItsMaximum() {
        assertThat(Preferences.waitOf("wait=3600", MAX)).isEqualTo(MAX);
        assertThat(Preferences.waitOf("wait=99999999999999999999", MAX)).isZero();
    }

    @Test
    void noneOrAMalformedWaitMeansNoWait() {
        assertThat(Preferences.waitOf(null, MAX)).isZero();
        assertThat(Preferences.waitOf("respond-async", MAX)).isZero();
        assertThat(Preferences.waitOf("wait=-1", MAX)).isZero();
        assertThat(Preferences.waitOf("wait=soon", MAX)).isZero();
        assertThat(Preferences.waitOf("wait=", MAX)).isZero();
    }
}
