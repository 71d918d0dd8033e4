package org.orderly.config.security.issuer;

import org.orderly.config.security.RoleMapping;
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

    private final Accounts accounts;
    private final LoginThrottle throttle;

    AccountLogin(Accounts accounts, LoginThrottle throttle) {
        this.accounts = accounts;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String address = authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : "unknown";
        Accounts.Account account;
        try {
            account = throttle.attempt(accounts, authentication.getName(),
                    String.valueOf(authentication.getCredentials()), address);
        } catch (LoginThrottle.Throttled throttled) {
            throw new LockedException(throttled.getMessage());
        }
        if (account == null) {
            throw new BadCredentialsException("The login or password is wrong");
        }
        return UsernamePasswordAuthenticationToken.authenticated(account, null, RoleMapping.authorities(account.roles()));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
