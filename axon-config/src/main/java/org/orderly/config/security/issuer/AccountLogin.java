package org.orderly.config.security.issuer;

import java.time.Duration;

import org.orderly.config.security.RoleMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The sign-in page's check of a login and password, with the same throttle and the same log lines as the password
 * grant, and the same principal (the account), so tokens issued after either say the same.
 */
final class AccountLogin implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(AccountLogin.class);

    private final Accounts accounts;
    private final LoginThrottle throttle;

    AccountLogin(Accounts accounts, LoginThrottle throttle) {
        this.accounts = accounts;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String login = Accounts.normalize(authentication.getName());
        String address = authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : "unknown";
        Duration wait = throttle.waitBefore(login, address);
        if (!wait.isZero()) {
            log.warn("Login throttled for login {} from {}: retry in {} s", PasswordGrant.fingerprint(login), address,
                    wait.toSeconds() + 1);
            throw new LockedException("Too many failed logins; retry later");
        }
        Accounts.Account account = accounts.verify(login, String.valueOf(authentication.getCredentials()));
        if (account == null) {
            throttle.failed(login, address);
            log.warn("Failed login for login {} from {}", PasswordGrant.fingerprint(login), address);
            throw new BadCredentialsException("The login or password is wrong");
        }
        return UsernamePasswordAuthenticationToken.authenticated(account, null, RoleMapping.authorities(account.roles()));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
