package dev.tokenissuer.grant.exchange;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What trust rules name for a caller STS reported: an assumed role by its role, {@code arn:P:iam::ACCOUNT:role/ROLE}
 * (an assumed-role ARN carries no path, so neither does the rule), with the session name kept for the audit; an
 * IAM user by its own ARN. Other callers (the account root, federated users) are no principal a rule can name.
 *
 * @param principal the ARN a rule names
 * @param caller    the ARN STS answered, session name included
 */
public record CallerArn(String principal, String caller) {

    private static final Pattern ASSUMED_ROLE = Pattern.compile(
            "arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([\\w+=,.@-]{1,64})/([\\w+=,.@-]{2,64})");
    private static final Pattern IAM_USER = Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):user/[\\w+=,.@/-]{1,576}");
    private static final Pattern IAM_ROLE = Pattern.compile(
            "arn:(aws[a-z-]*):iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]{1,64})");

    /** The principal of the caller STS answered, if a rule can name it. */
    public static Optional<CallerArn> of(String callerArn) {
        Matcher role = ASSUMED_ROLE.matcher(callerArn);
        if (role.matches()) {
            return Optional.of(new CallerArn(
                    "arn:" + role.group(1) + ":iam::" + role.group(2) + ":role/" + role.group(3), callerArn));
        }
        return IAM_USER.matcher(callerArn).matches() ? Optional.of(new CallerArn(callerArn, callerArn))
                : Optional.empty();
    }

    /**
     * The principal an operator's {@code --role-arn} stands for: a role ARN without its path (the assumed-role ARN
     * STS answers has none), or an IAM user's ARN as given; empty when it is neither.
     */
    public static Optional<String> principalOf(String roleOrUserArn) {
        Matcher role = IAM_ROLE.matcher(roleOrUserArn);
        if (role.matches()) {
            return Optional.of("arn:" + role.group(1) + ":iam::" + role.group(2) + ":role/" + role.group(3));
        }
        return IAM_USER.matcher(roleOrUserArn).matches() ? Optional.of(roleOrUserArn) : Optional.empty();
    }

    /** The session name of an assumed role, for the audit; empty for an IAM user. */
    public Optional<String> sessionName() {
        Matcher role = ASSUMED_ROLE.matcher(caller);
        return role.matches() ? Optional.of(role.group(4)) : Optional.empty();
    }
}
